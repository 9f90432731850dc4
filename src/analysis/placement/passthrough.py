"""wsl-lab's own FUSE layer: a passthrough that adds a share model's latency and bandwidth.

Run as `python -m analysis.placement.passthrough SOURCE MOUNTPOINT MODEL_JSON` (foreground);
unmounting the mount point ends the process. Why a layer of our own: bindfs cannot add a
per-request cost, and on WSL2's /mnt/c every request is a 9P round trip to Windows.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

# mfusepy prefers libfuse 2 where both are installed (bindfs brings it); we need 3's
# config (use_ino, hard_remove) and readahead control
os.environ["FUSE_LIBRARY_NAME"] = "fuse3"
import mfusepy as fuse  # noqa: E402

PR_SET_PDEATHSIG = 1
PR_SET_TIMERSLACK = 29
STAT_KEYS = ("st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size")
STAT_KEYS += ("st_blocks", "st_blksize", "st_rdev")


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0)


class Throttle:
    """A bandwidth cap shared by every worker thread: bytes queue for their time slot."""

    def __init__(self, mib_s: float) -> None:
        self.bytes_per_s = mib_s * 2**20
        self.lock = threading.Lock()
        self.free_at = 0.0

    def take(self, nbytes: int) -> None:
        if not self.bytes_per_s:
            return
        with self.lock:
            now = time.perf_counter()
            self.free_at = max(now, self.free_at) + nbytes / self.bytes_per_s
            wait = self.free_at - now
        time.sleep(wait)


def _kind(entry: os.DirEntry) -> int:
    """The entry's file type as st_mode bits, from the directory listing alone."""
    if entry.is_symlink():
        return stat.S_IFLNK
    return stat.S_IFDIR if entry.is_dir(follow_symlinks=False) else stat.S_IFREG


def delayed(kind: str) -> Callable:
    """Each request of this kind waits the model's latency for it before it is served."""

    def wrap(method: Callable) -> Callable:
        def served(self: Passthrough, *args: Any) -> Any:
            wait = self.latency_s[kind]
            if wait:
                time.sleep(wait)
            return method(self, *args)

        served.__name__ = method.__name__
        return served

    return wrap


class Passthrough(fuse.Operations):
    """Every call goes to the same path under root, after the model's delay."""

    use_ns = True  # nanosecond times pass through unchanged (git compares them)

    def __init__(self, root: str, model: dict[str, Any], conn: dict[str, int]) -> None:
        self.root = os.path.realpath(root)
        self.conn = conn
        self.latency_s = {
            "meta": float(model.get("meta_latency_us", 0)) / 1e6,
            "read": float(model.get("read_latency_us", 0)) / 1e6,
            "write": float(model.get("write_latency_us", 0)) / 1e6,
        }
        self.reads = Throttle(float(model.get("read_mib_s", 0)))
        self.writes = Throttle(float(model.get("write_mib_s", 0)))

    def init_with_config(self, conn: Any, config: Any) -> None:
        # libfuse 3 takes readahead at the connection, not as a mount option, and wants the
        # mount's max_read repeated there (it refuses to start when the two differ)
        for key, value in self.conn.items():
            setattr(conn, key, value)

    def _real(self, path: str) -> str:
        return os.path.join(self.root, path.lstrip("/"))

    @staticmethod
    def _stat(st: os.stat_result) -> dict[str, Any]:
        out = {k: getattr(st, k) for k in STAT_KEYS}
        out.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns, st_ctime=st.st_ctime_ns)
        return out

    # metadata
    @delayed("meta")
    def getattr(self, path: str, fh: Any = None) -> dict[str, Any]:
        return self._stat(os.lstat(self._real(path)))

    @delayed("meta")
    def access(self, path: str, amode: int) -> int:
        if not os.access(self._real(path), amode):
            raise fuse.FuseOSError(errno.EACCES)
        return 0

    @delayed("meta")
    def readdir(self, path: str, fh: int) -> list[tuple[str, dict[str, int], int]]:
        # with use_ino every entry needs its inode: glibc skips entries whose d_ino is 0
        real = self._real(path)
        here = os.lstat(real)
        out = [(".", {"st_ino": here.st_ino, "st_mode": here.st_mode}, 0)]
        out.append(
            ("..", {"st_ino": os.lstat(os.path.dirname(real)).st_ino, "st_mode": here.st_mode}, 0)
        )
        with os.scandir(real) as entries:
            for e in entries:
                out.append((e.name, {"st_ino": e.inode(), "st_mode": _kind(e)}, 0))
        return out

    @delayed("meta")
    def readlink(self, path: str) -> str:
        return os.readlink(self._real(path))

    @delayed("meta")
    def mknod(self, path: str, mode: int, dev: int) -> int:
        os.mknod(self._real(path), mode, dev)
        return 0

    @delayed("meta")
    def mkdir(self, path: str, mode: int) -> int:
        os.mkdir(self._real(path), mode)
        return 0

    @delayed("meta")
    def rmdir(self, path: str) -> int:
        os.rmdir(self._real(path))
        return 0

    @delayed("meta")
    def unlink(self, path: str) -> int:
        os.unlink(self._real(path))
        return 0

    @delayed("meta")
    def symlink(self, target: str, source: str) -> int:
        os.symlink(source, self._real(target))
        return 0

    @delayed("meta")
    def link(self, target: str, source: str) -> int:
        os.link(self._real(source), self._real(target))
        return 0

    @delayed("meta")
    def rename(self, old: str, new: str) -> int:
        os.rename(self._real(old), self._real(new))
        return 0

    @delayed("meta")
    def chmod(self, path: str, mode: int) -> int:
        os.chmod(self._real(path), mode)
        return 0

    @delayed("meta")
    def chown(self, path: str, uid: int, gid: int) -> int:
        os.chown(self._real(path), uid, gid, follow_symlinks=False)
        return 0

    @delayed("meta")
    def truncate(self, path: str, length: int, fh: Any = None) -> int:
        os.truncate(self._real(path), length)
        return 0

    @delayed("meta")
    def utimens(self, path: str, times: tuple[int, int] | None = None) -> int:
        if times:
            os.utime(self._real(path), ns=(int(times[0]), int(times[1])), follow_symlinks=False)
        else:
            os.utime(self._real(path), follow_symlinks=False)
        return 0

    @delayed("meta")
    def statfs(self, path: str) -> dict[str, Any]:
        sv = os.statvfs(self._real(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files")
        return {k: getattr(sv, k) for k in (*keys, "f_flag", "f_frsize", "f_namemax")}

    # open files: O_DIRECT asked by the program is honoured on the share's side (no page
    # cache there); the backing file is opened without it (Python's buffers are unaligned).
    @delayed("meta")
    def open(self, path: str, fi: Any) -> int:
        fi.direct_io = 1 if fi.flags & os.O_DIRECT else 0
        fi.fh = os.open(self._real(path), fi.flags & ~os.O_DIRECT)
        return 0

    @delayed("meta")
    def create(self, path: str, mode: int, fi: Any) -> int:
        fi.direct_io = 1 if fi.flags & os.O_DIRECT else 0
        fi.fh = os.open(self._real(path), (fi.flags & ~os.O_DIRECT) | os.O_CREAT, mode)
        return 0

    @delayed("meta")
    def flush(self, path: str, fi: Any) -> int:
        return 0  # every write already reached the backing file

    def release(self, path: str, fi: Any) -> int:
        os.close(fi.fh)  # the kernel does not wait for release: no delay to add
        return 0

    @delayed("meta")
    def fsync(self, path: str, datasync: int, fi: Any) -> int:
        (os.fdatasync if datasync else os.fsync)(fi.fh)
        return 0

    @delayed("meta")
    def fallocate(self, path: str, mode: int, offset: int, size: int, fi: Any) -> int:
        if mode:
            raise fuse.FuseOSError(errno.EOPNOTSUPP)
        os.posix_fallocate(fi.fh, offset, size)
        return 0

    # data
    @delayed("read")
    def read(self, path: str, size: int, offset: int, fi: Any) -> bytes:
        data = os.pread(fi.fh, size, offset)
        self.reads.take(len(data))
        return data

    @delayed("write")
    def write(self, path: str, data: bytes, offset: int, fi: Any) -> int:
        self.writes.take(len(data))
        return os.pwrite(fi.fh, data, offset)


def main(argv: list[str]) -> int:
    source, mount_point, model_json = argv
    model = json.loads(model_json)
    _prctl(PR_SET_TIMERSLACK, 1000)  # 1 µs: worker threads inherit it; 50 µs is the default
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # our parent gone: unmount, do not linger
    options = {
        opt.split("=", 1)[0]: opt.split("=", 1)[1] if "=" in opt else True
        for opt in model["mount_options"]
    }
    conn = {k: int(options[k]) for k in ("max_read", "max_readahead") if k in options}
    options.pop("max_readahead", None)
    fuse.FUSE(
        Passthrough(source, model, conn),
        mount_point,
        raw_fi=True,
        foreground=True,
        fsname=model["fsname"],  # wsl-lab:<model>:<source>, so the mount table names our model
        subtype="wsl-lab",
        use_ino=True,
        # unlink at once, even while the kernel's release is still on its way: our own
        # descriptor keeps the data, and no .fuse_hidden file is left behind in the scratch
        hard_remove=True,
        **options,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
