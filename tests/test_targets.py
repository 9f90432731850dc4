import subprocess
from pathlib import Path

import pytest

from analysis import paths
from analysis.errors import ParameterError, TargetError
from analysis.places import host
from analysis.targets import defaults, scratch
from analysis.targets import target as targets

from .conftest import needs_root


def T(path, label="t"):
    return targets.Target(label, Path(path))


def test_parse_specs():
    t = targets.parse_target("share=fuse:/tmp/x")
    assert (t.label, t.path, t.fuse) == ("share", Path("/tmp/x"), True)
    assert targets.parse_target("native=~/temp").path == Path.home() / "temp"
    with pytest.raises(ParameterError, match="LABEL=PATH"):
        targets.parse_target("/tmp/x")
    with pytest.raises(ParameterError, match="used twice"):
        targets.parse_targets(["a=/tmp", "a=/var/tmp"])


def test_default_targets_off_wsl_are_native_and_its_share(cache_home, tmp_path):
    # a Linux host that is not WSL, of saved files (this machine may be WSL)
    (tmp_path / "version").write_text("Linux version 6.1.0-28-amd64 #1 SMP\n")
    (tmp_path / "mountinfo").write_text("26 1 254:0 / / rw,relatime - ext4 /dev/vda1 rw\n")
    place = host.Host.read(kernel=tmp_path / "version", mount_table=tmp_path / "mountinfo")
    resolved = defaults.default_targets(place)
    native, share = resolved.targets
    assert (native.label, share.label) == ("native", "share") and not resolved.wsl
    assert native.path == share.path and share.fuse and not native.fuse
    assert cache_home in native.path.parents


@pytest.mark.parametrize(
    "path,why",
    [
        ("/", "root directory"),
        (str(Path.home()), "home directory itself"),
        (str(paths.DATA), "data/ directory"),
        (str(paths.REFERENCE), "data/ directory"),
    ],
)
def test_dangerous_targets_are_refused(path, why):
    with pytest.raises(TargetError, match=why):
        targets.check_target(T(path))


def test_missing_and_not_a_directory(tmp_path):
    with pytest.raises(TargetError, match="does not exist"):
        targets.check_target(T(tmp_path / "nope"))
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(TargetError, match="not a directory"):
        targets.check_target(T(f))


def test_too_little_free_space(tmp_path):
    with pytest.raises(TargetError, match="GiB free, the profile needs"):
        targets.check_target(T(tmp_path), need_bytes=1 << 60)


@needs_root
def test_read_only_target(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)], check=True)
    try:
        with pytest.raises(TargetError, match="not writable"):
            targets.check_target(T(ro))
        with pytest.raises(TargetError, match="cannot create"):
            scratch.make_scratch(ro, "run", "t")
    finally:
        subprocess.run(["umount", str(ro)], check=True)


def test_scratch_is_exclusive_and_removed_only_with_marker(tmp_path):
    s = scratch.make_scratch(tmp_path, "rid", "a")
    (s / "sub").mkdir()
    (s / "sub" / "f").write_text("x")
    with pytest.raises(TargetError, match="already exists"):
        scratch.make_scratch(tmp_path, "rid", "a")
    assert scratch.leftover_scratch(tmp_path) == [s]
    assert scratch.remove_scratch(s) is True and not s.exists()

    theirs = tmp_path / "wsl-lab-not-ours"
    theirs.mkdir()
    (theirs / "precious").write_text("keep")
    assert scratch.remove_scratch(theirs) is False
    assert (theirs / "precious").read_text() == "keep"
