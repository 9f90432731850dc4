"""The places a run uses by default: on WSL the real ones, elsewhere the simulation.

Nothing here runs on a real WSL machine. A WSL2 host is made of stand-ins, each named so:
a kernel file that says Microsoft, a WSL2 mount table whose `C:` drive is mounted on a
directory made here, a `cmd.exe` that prints a Windows %TEMP%, a `wslpath` that maps it to
that directory, and a wsl.conf. They enter through `wsl-lab targets`' documented options
(`--kernel`, `--mount-table`, `--cmd-exe`, `--wslpath`, `--wsl-conf`) or a `Host` made of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import TargetError
from analysis.places.classify import CROSS_OS
from analysis.places.host import Host
from analysis.targets.defaults import Places, default_targets

from .conftest import FIXTURES, cli, needs_root, run_cli, small_tmpfs

WSL2_KERNEL = "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@941d701f84f1) #1 SMP\n"
WIN_TEMP = r"C:\Users\me\AppData\Local\Temp"


class StandIn:
    """A WSL2 host made of stand-ins under a temporary directory."""

    def __init__(self, root: Path, table: str = "wsl2-virtio.mountinfo") -> None:
        self.root = root
        self.c = root / "c"  # where the stand-in table mounts C:
        self.temp = self.c / "Users" / "me" / "AppData" / "Local" / "Temp"
        self.temp.mkdir(parents=True)
        self.kernel = root / "version"
        self.kernel.write_text(WSL2_KERNEL)
        text = (FIXTURES / "mounts" / table).read_text()
        self.table = root / table
        self.table.write_text(
            text.replace(" /mnt/c ", f" {self.c} ").replace(" /c ", f" {self.c} ")
        )
        bin_ = root / "bin"
        bin_.mkdir()
        self.cmd_exe = bin_ / "cmd.exe"
        self.say_temp(WIN_TEMP)
        self.wslpath = bin_ / "wslpath"
        self.wslpath.write_text(
            "#!/bin/sh\n"
            '[ "$1" = -u ] || exit 2\n'
            f"printf '%s\\n' \"$2\" | sed -e 's#^C:#{self.c}#' -e 's#\\\\#/#g'\n"
        )
        self.wslpath.chmod(0o755)
        self.conf = root / "wsl.conf"
        self.conf.write_text("[boot]\nsystemd=true\n")

    def say_temp(self, text: str, status: int = 0) -> None:
        """The stand-in cmd.exe: prints text as cmd.exe does (CRLF) and exits with status."""
        body = text.replace("\\", "\\\\")
        self.cmd_exe.write_text(f'#!/bin/sh\nprintf "{body}\\r\\n"\nexit {status}\n')
        self.cmd_exe.chmod(0o755)

    def host(self, **kw) -> Host:
        args = {
            "kernel": self.kernel,
            "mount_table": self.table,
            "cmd_exe": str(self.cmd_exe),
            "wslpath": str(self.wslpath),
            "wsl_conf": self.conf,
            **kw,
        }
        return Host.read(**args)

    def options(self) -> list[str]:
        return [
            "--kernel", str(self.kernel), "--mount-table", str(self.table),
            "--cmd-exe", str(self.cmd_exe), "--wslpath", str(self.wslpath),
            "--wsl-conf", str(self.conf),
        ]  # fmt: skip


@pytest.fixture
def wsl(tmp_path, cache_home) -> StandIn:
    return StandIn(tmp_path / "standin")


def labels(resolved) -> list[str]:
    return [t.label for t in resolved.targets]


def test_standin_wsl2_host_targets_json_lists_native_windows_simulated(wsl):
    done = cli("targets", "--json", "--experiment", "disk", *wsl.options())
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["host"]["wsl"] is True
    (disk,) = out["experiments"]
    rows = {t["label"]: t for t in disk["targets"]}
    assert list(rows) == ["native", "windows", "simulated"]
    assert rows["windows"]["class"] == CROSS_OS
    assert rows["windows"]["path"] == str(wsl.temp)
    assert rows["windows"]["windows_path"] == WIN_TEMP
    assert "%TEMP%" in rows["windows"]["why"] and "cmd.exe" in rows["windows"]["why"]
    assert rows["native"]["class"] == "native"
    assert rows["simulated"]["class"] == "simulated share" and rows["simulated"]["fuse"]
    assert rows["simulated"]["path"] == rows["native"]["path"]
    # room: the Windows drive keeps a reserve free beyond what the profile writes
    assert rows["windows"]["keep_free_bytes"] > 0 and rows["native"]["keep_free_bytes"] == 0
    assert rows["windows"]["need_bytes"] == rows["native"]["need_bytes"] > 0


# a Linux machine that is not WSL, as files: its kernel line and a mount table with its disk
LINUX_KERNEL = "Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org) #1 SMP\n"
LINUX_TABLE = "26 1 254:0 / / rw,relatime - ext4 /dev/vda1 rw,discard\n"


def not_wsl(where: Path) -> list[str]:
    """`wsl-lab targets`' options for a Linux host that is not WSL, made of saved files, so
    that what follows holds on any machine, WSL included."""
    where.mkdir(exist_ok=True)
    (where / "version").write_text(LINUX_KERNEL)
    (where / "mountinfo").write_text(LINUX_TABLE)
    return ["--kernel", str(where / "version"), "--mount-table", str(where / "mountinfo")]


def test_off_wsl_lists_native_and_the_simulated_share(cache_home, tmp_path):
    linux = not_wsl(tmp_path / "linux")
    done = cli("targets", "--json", *linux)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["host"]["wsl"] is False and "not WSL" in out["host"]["why"]
    assert [e["experiment"] for e in out["experiments"]] == ["disk", "qdrant", "llm", "devloop"]
    for e in out["experiments"]:
        assert [(t["label"], t["class"]) for t in e["targets"]] == [
            ("native", "native"),
            ("share", "simulated share"),
        ]
    text = cli("targets", "--experiment", "qdrant", *linux).stdout
    assert "simulated share: fuse.wsl-lab, model wsl2-9p" in text and "why:" in text


def test_standin_interop_off_falls_back_to_the_drive_temp(wsl):
    wsl.conf.write_text("[interop]\nenabled = false\n")
    (wsl.c / "temp").mkdir()
    r = default_targets(wsl.host())
    assert labels(r) == ["native", "windows", "simulated"]
    windows = r.targets[1]
    assert windows.path == wsl.c / "temp"
    assert "interop is off ([interop] enabled=false" in windows.why


def test_standin_no_writable_windows_place_is_one_line_saying_what_to_set(wsl):
    wsl.conf.write_text("[interop]\nenabled=false\n")
    r = default_targets(wsl.host())
    assert labels(r) == ["native", "simulated"]
    why = r.left_out["windows"]
    assert "\n" not in why
    assert f"mkdir {wsl.c / 'temp'}" in why and "[places] windows = PATH" in why


def test_standin_cmd_exe_failing_falls_back(wsl):
    wsl.say_temp("%TEMP%", status=1)
    (wsl.c / "temp").mkdir()
    r = default_targets(wsl.host())
    assert r.targets[1].path == wsl.c / "temp"
    assert "cmd.exe did not name %TEMP%" in r.targets[1].why


def test_standin_temp_not_on_a_windows_drive_is_not_used(wsl, tmp_path):
    elsewhere = tmp_path / "linux-temp"
    elsewhere.mkdir()
    wsl.wslpath.write_text(f"#!/bin/sh\necho {elsewhere}\n")
    r = default_targets(wsl.host())
    assert "windows" in r.left_out
    assert "not on a Windows drive" in r.left_out["windows"]


def test_standin_custom_automount_root_and_several_drives(tmp_path, cache_home):
    wsl = StandIn(tmp_path / "standin", table="wsl2-custom-root.mount")  # C: D: E: at /c /d /e
    wsl.conf.write_text("[automount]\nroot = /\n")
    wsl.say_temp("", status=1)  # interop gives nothing: C:, where Windows keeps %TEMP%
    (wsl.c / "temp").mkdir()
    r = default_targets(wsl.host())
    windows = next(t for t in r.targets if t.label == "windows")
    assert windows.path == wsl.c / "temp"
    assert "Windows drives C:" in windows.why and "D: at /d" in windows.why
    assert "automount root /" in windows.why and "[places] windows" in windows.why


def test_standin_wsl_kernel_without_drives_measures_the_simulation(tmp_path, cache_home):
    wsl = StandIn(tmp_path / "standin", table="wsl2-automount-off.mounts")
    wsl.conf.write_text("[automount]\nenabled=false\n")
    r = default_targets(wsl.host())
    assert not r.wsl and labels(r) == ["native", "share"]
    assert "automount is off" in r.why and "--target windows=PATH" in r.why


def test_profile_places_turn_the_simulation_off_and_name_the_windows_place(wsl, tmp_path):
    r = default_targets(wsl.host(), Places(simulated=False))
    assert labels(r) == ["native", "windows"] and "simulated" in r.left_out
    other = wsl.c / "work"
    other.mkdir()
    r = default_targets(wsl.host(), Places(windows=str(other)))
    assert r.targets[1].path == other and "[places] windows" in r.targets[1].why
    native = tmp_path / "native-dir"
    native.mkdir()
    with pytest.raises(TargetError, match="not on a Windows drive"):
        default_targets(wsl.host(), Places(windows=str(native)))


def test_given_targets_replace_the_defaults(wsl, cache_home):
    from analysis.targets.defaults import chosen

    r = chosen(["a=/tmp"], "smoke", wsl.host())
    assert labels(r) == ["a"] and r.targets[0].why == "given"


def test_bad_standins_are_one_line(tmp_path):
    for args in (
        ["--kernel", str(tmp_path / "nope")],
        ["--cmd-exe", str(tmp_path / "nope")],
        ["--wsl-conf", str(tmp_path / "nope")],
    ):
        done = cli("targets", *args)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "nope" in done.stderr
    bad = tmp_path / "wsl.conf"
    bad.write_text("no section here\n")
    done = cli("targets", "--wsl-conf", str(bad))
    assert done.returncode == 2 and "not an INI file" in done.stderr


@pytest.fixture
def small_fs(tmp_path):
    """A real small file system: a tmpfs of 1 MiB (no loop device)."""
    with small_tmpfs(tmp_path / "small", "1m") as mnt:
        yield mnt


@needs_root
def test_a_target_too_small_is_failed_with_both_sizes_and_the_others_complete(
    tmp_path, cache_home, small_fs, tiny
):
    native = tmp_path / "native"
    native.mkdir()
    root = tmp_path / "raw"
    done = run_cli(
        "run", "disk", "--profile", "smoke", "--tools", "fio", "--root", str(root),
        "--target", f"native={native}", "--target", f"small={small_fs}",
        "--target", f"share=fuse:{native}",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    (run,) = (root / "disk").iterdir()
    m = json.loads((run / "manifest.json").read_text())
    small = m["targets"]["small"]
    assert small["status"] == "failed"
    assert small["need_bytes"] == 2 * 2**20  # the tiny profile's 1 MiB fio file, written, read
    assert 0 < small["free_bytes"] <= 1 * 2**20
    assert "MiB free, the profile needs 2.0 MiB" in small["error"]
    assert small["fstype"] == "tmpfs"
    assert m["targets"]["native"]["status"] == "complete"
    assert m["targets"]["share"]["status"] == "complete"
    assert list(small_fs.iterdir()) == []  # nothing was written there
    # said before anything was measured
    assert done.stdout.index("small: failed") < done.stdout.index("native · fio")


def test_standin_calibrate_without_targets_pairs_native_with_the_windows_drive(wsl):
    from analysis.share.calibrate import default_pair

    native, share = default_pair(wsl.host(), ratios=False)
    assert native.label == "native" and not native.fuse
    assert (share.label, share.path, share.fuse) == ("share", wsl.temp, False)


def test_calibrate_off_wsl_without_targets_is_one_line(cache_home, tmp_path, monkeypatch):
    """Off WSL (a host of saved files: this machine may be WSL) there is nothing to fit to."""
    not_wsl(tmp_path / "linux")
    read = Host.read.__func__
    files = {
        "kernel": tmp_path / "linux" / "version",
        "mount_table": tmp_path / "linux" / "mountinfo",
    }

    def linux_host(cls, **given):
        return read(cls, **(files | given))

    monkeypatch.setattr(Host, "read", classmethod(linux_host))
    done = cli("calibrate")
    assert done.returncode == 2
    assert "no real share to calibrate against (not WSL" in done.stderr
    assert done.stderr.count("\n") == 1 and "--ratios FILE" in done.stderr
