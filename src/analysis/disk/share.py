"""The simulated cross-OS share: a directory re-exported through FUSE with bindfs."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from .. import hostinfo, paths
from ..errors import PreconditionError, TargetError
from ..faults import signals_deferred
from ..proc import require_tool
from ..targets import Target

# Caching off, so every lookup and attribute read crosses the FUSE boundary like 9P does.
# No direct_io: it breaks mmap, which Qdrant's storage needs.
FUSE_OPTIONS = "attr_timeout=0,entry_timeout=0,negative_timeout=0"


def fuse_available() -> str | None:
    """None when a FUSE share can be mounted here, else the reason why not."""
    if not Path("/dev/fuse").exists():
        return "/dev/fuse is missing (no FUSE in this kernel or container)"
    if not os.access("/dev/fuse", os.R_OK | os.W_OK):
        return "/dev/fuse is not accessible to this user"
    if not shutil.which("bindfs"):
        return "bindfs not found on PATH (apt-get install bindfs fuse3)"
    if not (shutil.which("fusermount3") or shutil.which("fusermount")):
        return "fusermount3 not found on PATH (apt-get install fuse3)"
    return None


def bindfs_command(
    source: Path, mount_point: Path, read_rate: str = "", write_rate: str = ""
) -> list[str]:
    cmd = [require_tool("bindfs"), "--no-allow-other", "-o", FUSE_OPTIONS]
    if read_rate:
        cmd.append(f"--read-rate={read_rate}")
    if write_rate:
        cmd.append(f"--write-rate={write_rate}")
    return [*cmd, str(source), str(mount_point)]


def unmount(mount_point: Path) -> None:
    """Unmount (lazily if busy) and check that it is gone."""
    tool = shutil.which("fusermount3") or shutil.which("fusermount")
    attempts = [[tool, "-u"], [tool, "-u", "-z"]] if tool else [["umount"], ["umount", "-l"]]
    for cmd in attempts:
        subprocess.run([*cmd, str(mount_point)], capture_output=True, timeout=30)
        if not hostinfo.is_mount_point(mount_point):
            return
        time.sleep(0.2)
    raise TargetError(f"could not unmount {mount_point}: unmount it with `fusermount3 -u`")


@contextlib.contextmanager
def fuse_share(
    source: Path, name: str, read_rate: str = "", write_rate: str = ""
) -> Iterator[Path]:
    """Mount source through bindfs at a fresh mount point; always unmounted and removed."""
    reason = fuse_available()
    if reason:
        raise PreconditionError(f"FUSE share unavailable: {reason}")
    base = paths.cache_home() / "mnt"
    base.mkdir(parents=True, exist_ok=True)
    mount_point = base / name
    mount_point.mkdir()  # exclusive: two runs never share a mount point
    try:
        done = subprocess.run(
            bindfs_command(source, mount_point, read_rate, write_rate),
            capture_output=True,
            text=True,
            timeout=30,
        )
        try:
            if done.returncode != 0 or not hostinfo.is_mount_point(mount_point):
                why = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
                raise PreconditionError(f"bindfs could not mount {source}: {why[0]}")
            yield mount_point
        finally:
            with signals_deferred():
                if hostinfo.is_mount_point(mount_point):
                    unmount(mount_point)
    finally:
        with signals_deferred(), contextlib.suppress(OSError):
            mount_point.rmdir()


@contextlib.contextmanager
def placement(target: Target, run_id: str, params: dict) -> Iterator[Path]:
    """The directory to measure in: the target itself, or its FUSE share, mounted for us."""
    if not target.fuse:
        yield target.path
        return
    with fuse_share(
        target.path,
        f"{run_id}-{target.label}",
        params.get("share_read_rate", ""),
        params.get("share_write_rate", ""),
    ) as mount_point:
        yield mount_point
