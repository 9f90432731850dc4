"""Places classified by file system, never by path prefix: every fixture format, the traps,
and `wsl-lab where --mount-table` as a user runs it."""

from __future__ import annotations

import json

import pytest

from analysis.audit.where import wsl_move
from analysis.places.classify import classify_path
from analysis.places.mounts import parse_table

from .conftest import FIXTURES, cli

X, N, NET, SIM = "cross-os share", "native", "network share", "simulated share"
CASES = {  # table -> [(path, class, kind, windows path, transport)]
    "wsl2-virtio.mountinfo": [
        ("/mnt/c/Users/me/app", X, "wsl2-9p-drvfs", "C:\\Users\\me\\app", "virtio"),
        ("/mnt/d", X, "wsl2-9p-drvfs", "D:\\", "virtio"),
        ("/home/me/win-src/app", X, "wsl2-9p-drvfs", "C:\\Users\\me\\src\\app", "virtio"),
        ("/usr/lib/wsl/drivers/nv.sys", X, "wsl2-9p-drivers", None, "fd"),
        ("/mnt/wsl/shared", N, "tmpfs", None, None),
        ("/usr/lib/wsl/lib/libcuda.so", N, "overlay", None, None),
        ("/home/me/My Projects/x", N, "ext4", None, None),
        ("/tmp/odd/f", N, "tmpfs", None, None),
        ("/home/me/app", N, "ext4", None, None),
    ],
    "wsl2-virtio.mounts": [
        ("/mnt/c/Users/me", X, "wsl2-9p-drvfs", "C:\\Users\\me", "virtio"),
        ("/usr/lib/wsl/drivers", X, "wsl2-9p-drivers", None, "fd"),
        ("/home/me/My Projects/x", N, "ext4", None, None),
        ("/mnt/wsl", N, "tmpfs", None, None),
    ],
    "wsl2-fd.mount": [
        ("/mnt/c/src", X, "wsl2-9p-drvfs", "C:\\src", "fd"),
        ("/home/me/My Projects/a b", N, "ext4", None, None),
    ],
    "wsl2-custom-root.mount": [
        ("/c/Users/me", X, "wsl2-9p-drvfs", "C:\\Users\\me", "virtio"),
        ("/d/data", X, "wsl2-9p-drvfs", "D:\\data", "virtio"),
        ("/e", X, "wsl2-9p-drvfs", "E:\\", "virtio"),
        ("/mnt/c/Users/me", N, "ext4", None, None),  # no drive there: a plain directory
    ],
    "wsl2-virtiofs.mount": [
        ("/mnt/c/Users/me", X, "wsl2-virtiofs-drvfs", "C:\\Users\\me", "virtiofs"),
    ],
    "wsl2-automount-off.mounts": [
        ("/mnt/c/Users/me", N, "ext4", None, None),
        ("/mnt/example/x", N, "ext4", None, None),  # an ext4 disk under /mnt: no false alarm
        ("/mnt/wsl", N, "tmpfs", None, None),
    ],
    "wsl1.mount": [
        ("/mnt/c/Users", X, "wsl1-drvfs", "C:\\Users", "lxss"),
        ("/mnt/d", X, "wsl1-drvfs", "D:\\", "lxss"),
        ("/home/me", N, "lxfs", None, None),
    ],
    "wsl1.mounts": [("/mnt/c", X, "wsl1-drvfs", "C:\\", "lxss")],
    "docker-desktop-mac.mount": [
        ("/app/x", X, "docker-desktop-host", None, "virtiofs"),
        ("/src", X, "docker-desktop-host", None, "grpcfuse"),
        ("/old/y", X, "docker-desktop-host", None, "osxfs"),
        ("/data", N, "ext4", None, None),
        ("/etc", N, "overlay", None, None),
    ],
    "docker-desktop-windows.mount": [
        ("/run/desktop/mnt/host/c/Users/me", X, "wsl2-9p-drvfs", "C:\\Users\\me", "fd"),
    ],
    "network.mount": [
        ("/mnt/nas/x", NET, "cifs", None, None),
        ("/mnt/media", NET, "smb3", None, None),
        ("/srv/nfs/a", NET, "nfs4", None, None),
        ("/srv/old", NET, "nfs", None, None),
        ("/home/me/remote", NET, "sshfs", None, None),
        ("/mnt/host/x", X, "9p-vm-host", None, "virtio"),
        ("/mnt/virt", X, "virtiofs-vm-host", None, "virtiofs"),
        ("/media/sf_share", X, "virtualbox-shared-folder", None, None),
        ("/mnt/cdrom", N, "iso9660", None, None),
    ],
    "twice.mounts": [
        ("/mnt/c/x", X, "wsl2-9p-drvfs", "C:\\x", "virtio"),
        ("/mnt/cdrom", N, "ext4", None, None),
    ],
    "grepped.mounts": [
        ("/home/me/app", N, "not-in-table", None, None),
        ("/mnt/c/x", X, "wsl2-9p-drvfs", "C:\\x", "virtio"),
    ],
    "simulated.mountinfo": [
        (
            "/root/.cache/wsl-lab/mnt/20261201T000000Z-vm-abc1234-share/x",
            SIM,
            "wsl-lab:wsl2-9p",
            None,
            None,
        ),  # noqa: E501
        ("/root/.cache/wsl-lab/mnt/old/y", SIM, "wsl-lab", None, None),  # bindfs: no model
        ("/root/.cache/wsl-lab/targets/native", N, "ext4", None, None),
    ],
}
FLAT = [(name, *case) for name, cases in CASES.items() for case in cases]


def test_every_fixture_is_covered():
    assert set(CASES) == {p.name for p in (FIXTURES / "mounts").iterdir()}


@pytest.mark.parametrize("name, path, cls, kind, windows, transport", FLAT)
def test_classified_by_file_system(name, path, cls, kind, windows, transport):
    mounts = parse_table((FIXTURES / "mounts" / name).read_text(), name)
    _, place = classify_path(mounts, path)
    assert (place.cls, place.kind, place.windows_path, place.transport) == (
        cls, kind, windows, transport,
    )  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_where_with_a_saved_table(name):
    """`wsl-lab where --mount-table F --json P...`, as a user runs it, for every fixture."""
    paths = [c[0] for c in CASES[name]]
    done = cli("where", "--mount-table", str(FIXTURES / "mounts" / name), "--json", *paths)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    got = [(r["path"], r["class"], r["kind"], r["windows_path"]) for r in rows]
    assert got == [c[:4] for c in CASES[name]]
    for r in rows:
        assert {"path", "mount_point", "fstype", "mount_source", "class", "kind"} <= set(r)
        if r["kind"] == "not-in-table":
            assert r["note"] == "no listed mount covers it" and r["mount_point"] is None


def test_a_wsl_drive_says_where_to_move_and_how_windows_reaches_it():
    name = "wsl2-virtio.mountinfo"
    done = cli(
        "where", "--mount-table", str(FIXTURES / "mounts" / name), "/mnt/c/Users/me/src/app",
        env={"WSL_DISTRO_NAME": "Ubuntu", "HOME": "/home/me"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "9p drvfs `C:\\Users\\me\\src\\app` (virtio, msize 262144)" in done.stdout
    assert "move it to /home/me/src/app" in done.stdout
    assert "\\\\wsl.localhost\\Ubuntu\\home\\me\\src\\app" in done.stdout
    assert "costs: " in done.stdout  # a share says what it costs


def test_move_outside_the_windows_profile_keeps_the_folder_name(tmp_path):
    move = wsl_move("D:\\work\\site", tmp_path)
    assert move["move_to"] == str(tmp_path / "site")


def test_check_fails_on_a_share_and_passes_on_native():
    table = str(FIXTURES / "mounts" / "network.mount")
    assert cli("where", "--mount-table", table, "--check", "/mnt/cdrom").returncode == 0
    done = cli("where", "--mount-table", table, "--check", "/mnt/cdrom", "/srv/nfs")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "wsl-lab where: on a share: /srv/nfs"


def test_bad_input_is_one_line(tmp_path):
    missing = cli("where", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "no such file or directory" in missing.stderr
    assert "--mount-table" in missing.stderr
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xffnot a table at all\n")
    bad = cli("where", "--mount-table", str(junk), "/x")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "not a mount table" in bad.stderr
    nofile = cli("where", "--mount-table", str(tmp_path / "none"), "/x")
    assert nofile.returncode == 2 and "no such file" in nofile.stderr


def test_the_current_directory_when_native_costs_nothing(tmp_path):
    """`wsl-lab where .` from a native directory: a temporary one, not the checkout, which
    on WSL may well be on /mnt/c (a share)."""
    done = cli("where", "--json", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["resolved"] == str(tmp_path.resolve())
    assert row["class"] == "native" and row["costs"] == []
