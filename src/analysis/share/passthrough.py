"""wsl-lab's own FUSE layer: a passthrough that serves each request in a share model's time.

Run as `python -m analysis.share.passthrough SOURCE MOUNTPOINT MODEL_JSON SERVED_JSON`
(foreground); unmounting the mount point ends the process, which then writes SERVED_JSON:
per kind of request how many were served and how many were answered over LATE_SHARE later
than the model's service time (its own cost, or what a request costs beyond it here). Why a
layer of our own: bindfs cannot give a request a time, and on WSL2's /mnt/c every request is
a 9P round trip to Windows.

A model gives service times: how long one request takes on the share it stands for. The
layer answers each request no sooner than that after it was asked, sleeping only for what
its own work did not use, so that while its own cost stays below the model's time the
share answers the same on a fast desktop, a slow VM or a busy machine. What it cannot see
from inside (the kernel's queue, libfuse, the call into Python, waking the caller) it
measures as it runs, from the gaps between a thread's requests (`Unseen`). Where this
departs from a real share: "asked" is when the kernel handed the request on, as estimated;
a refused request (ENOENT) takes its kind's time like any other; bandwidth caps queue bytes
after the service time; requests in flight together are meant to wait their times together,
but in this Python layer they do not overlap much: measured here, 4 KiB O_DIRECT random
reads (libaio, queue depth 64) reached 1.05 requests in flight with 1 fio job and 1.19 with
8 (6,435 and 7,287/s at 163 µs), where WSL2's 9P served the post's 8-job fio job with about
3 (37.5 MiB/s read and 37.6 MiB/s write), so parallel I/O is slower here than the model.
"""

from __future__ import annotations

import ctypes
import errno
import json
import math
import os
import signal
import stat
import statistics
import sys
import threading
import time
from collections import deque
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
KINDS = ("meta", "read", "write")


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0)


class Throttle:
    """A bandwidth cap shared by every worker thread: while it is set, one request's bytes
    go after the last one's, as on one channel; its service time does not queue (requests
    in flight together wait their times together, as the same kind does without a cap)."""

    def __init__(self, mib_s: float) -> None:
        self.bytes_per_s = mib_s * 2**20
        self.lock = threading.Lock()
        self.free_at = 0.0

    def due(self, asked: float, service: float, nbytes: int) -> float:
        """When a request asked at `asked` is answered: its service time, then its bytes."""
        if not self.bytes_per_s or not nbytes:
            return asked + service
        with self.lock:
            self.free_at = max(asked + service, self.free_at) + nbytes / self.bytes_per_s
            return self.free_at


def _kind(entry: os.DirEntry) -> int:
    """The entry's file type as st_mode bits, from the directory listing alone."""
    if entry.is_symlink():
        return stat.S_IFLNK
    return stat.S_IFDIR if entry.is_dir(follow_symlinks=False) else stat.S_IFREG


# Fault injection for the tests (WSL_LAB_LAYER_FAULTS=1): once a path named HANG_NAME is
# looked up, the layer stops answering every request, alive and asleep, as a deadlocked
# layer does. Unset, nothing here is ever reached.
HANG_NAME = ".wsl-lab-hang"
HUNG = threading.Event()
FAULTS = os.environ.get("WSL_LAB_LAYER_FAULTS") == "1"
# ... and WSL_LAB_LAYER_SLOW_US=N makes every request take the layer N µs more, as on a
# slower machine
SLOW_S = float(os.environ.get("WSL_LAB_LAYER_SLOW_US", "0")) / 1e6 if FAULTS else 0.0


def _hang_if_asked(args: tuple) -> None:
    if args and isinstance(args[0], str) and args[0].endswith("/" + HANG_NAME):
        HUNG.set()
    if HUNG.is_set():
        threading.Event().wait()
    if SLOW_S:
        time.sleep(SLOW_S)  # our own time, as a slower machine's work would be


SERVED_NAME = ".wsl-lab-served"  # a lookup of it writes what was served so far, then ENOENT
GAPS = 128  # the last gaps of a kind its cost beyond is taken from
GAP_MAX_S = 0.001  # a longer gap is the program at work between requests, not a round trip
OFF_SHARE = 0.9  # the most of a service time the estimate may take off
LATE_SHARE = 0.1  # a request answered this share of its time late was not held
LATE_MAX_S = 0.001  # one late wake counts at most this much (a VM's rare stall is no trend)


class Unseen:
    """What a request costs beyond our handler's own work and its wait, on this machine,
    now: the kernel's queue, libfuse, mfusepy's marshalling, and the reply's way back until
    the caller runs again (in a VM, also waking its idle CPU); every request takes it off
    its wait. It is measured on the workload's own requests: between our answer to one
    request of a thread and that thread's next request lies exactly that cost, plus what
    the program did in between. Per kind of the next request, the mean of the last GAPS
    such gaps (those under GAP_MAX_S: a longer one is the program at work) is taken as the
    cost: a page fault's way differs from a 1 MiB write's, and one window for all let a
    write phase's gaps set the next read phase's waits (measured: cold mmap -38% on one
    mount of a closed-loop calibration); a program that works less than GAP_MAX_S
    between requests has that work counted as the cost too, and finds the share up to
    that much faster. No request of ours is added to the workload's, and a gap starts
    after the wait, so the estimate does not measure its own effect. The estimate follows
    every gap: updated only every EVERY_S, it was 0 for the first tenth of a second of
    each mount, a quarter of a 2,048-fault benchmark (measured: page faults +8% to +33%).
    It is taken off at most OFF_SHARE of a service time, so that a program at work
    between requests cannot make the share answer at once; half was too little here
    (this VM's round trip beyond a page fault's handler is 70-110 µs, half of 163 µs is
    82), and with no cap at all the estimate did not feed on itself (2 × 3 mounts, idle
    and beside two CPU loops: medians 161-165 µs). Every EVERY_S the estimates are
    computed afresh and `each` called (a snapshot of what was served)."""

    EVERY_S = 0.1

    def __init__(self, service_s: dict[str, float], each: Callable[[], None]) -> None:
        self.service_s = service_s
        self.each = each
        self.answered_at: dict[int, float] = {}  # per requesting thread: our last answer
        self.gaps = {k: deque(maxlen=GAPS) for k in KINDS}  # by the kind of the next request
        self.total = dict.fromkeys(KINDS, 0.0)  # the sum of each kind's gaps
        self.lock = threading.Lock()
        self.seen = 0  # gaps taken so far
        self.cost = dict.fromkeys(KINDS, 0.0)  # the mean gap, all of it
        self.estimate = dict.fromkeys(KINDS, 0.0)  # what is taken off each kind's wait

    def start(self) -> None:
        threading.Thread(target=self._update, daemon=True, name="unseen").start()

    def arrived(self, tid: int, entered: float, kind: str) -> None:
        last = self.answered_at.get(tid)
        if last is None or not 0.0 < entered - last < GAP_MAX_S:
            return
        gap, gaps = entered - last, self.gaps[kind]
        with self.lock:  # the estimate follows every gap: a short workload is mostly its start
            self.total[kind] += gap - (gaps[0] if len(gaps) == GAPS else 0.0)
            gaps.append(gap)
            self.seen += 1
            self._set(kind, self.total[kind] / len(gaps))

    def answered(self, tid: int, at: float | None = None) -> None:
        self.answered_at[tid] = time.perf_counter() if at is None else at

    def _set(self, kind: str, cost: float) -> None:
        self.cost[kind] = cost
        self.estimate[kind] = min(cost, OFF_SHARE * self.service_s[kind])

    def update(self) -> None:
        """The estimates from the gaps themselves (the running sums drift with rounding)."""
        with self.lock:
            for k, gaps in self.gaps.items():
                if gaps:
                    self.total[k] = math.fsum(gaps)
                    self._set(k, self.total[k] / len(gaps))

    def _update(self) -> None:
        while True:
            time.sleep(self.EVERY_S)
            self.update()
            self.each()


def _median_us(values: deque[float]) -> float | None:
    return round(statistics.median(values) * 1e6, 1) if values else None


class Served:
    """Per kind of request: how many were served, and how many reached the caller over
    LATE_SHARE later than the model's time, as far as the layer can tell: its own work ran
    past the time, or what a request costs here beyond it was more than it could take off
    (the model was not held for those)."""

    def __init__(self, service_s: dict[str, float]) -> None:
        self.service_s = service_s
        self.lock = threading.Lock()
        self.requests = dict.fromkeys(KINDS, 0)
        self.over = dict.fromkeys(KINDS, 0)
        self.bytes = dict.fromkeys(KINDS, 0)
        self.oversleep = deque([0.0], maxlen=50)  # how much later than asked a sleep ends
        self.own: dict[str, deque[float]] = {k: deque(maxlen=200) for k in KINDS}  # our cost

    def count(self, kind: str, over: bool, nbytes: int = 0, own: float | None = None) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.over[kind] += over
            self.bytes[kind] += nbytes
            if own is not None:
                self.own[kind].append(own)

    def report(self, unseen: Unseen) -> dict[str, Any]:
        with self.lock:
            kinds = {
                k: {
                    "service_us": round(self.service_s[k] * 1e6, 1),
                    "requests": self.requests[k],
                    "bytes": self.bytes[k],
                    "over_service": self.over[k],
                    "own_us": _median_us(self.own[k]),  # our handler's own time, recently
                }
                for k in KINDS
            }
            oversleep = _median_us(self.oversleep)
        return {
            "kinds": kinds,
            "unseen_us": {k: round(v * 1e6, 1) for k, v in unseen.estimate.items()},
            "gaps": unseen.seen,
            "oversleep_us": oversleep,  # how late a sleep of ours wakes, recently
        }


ENTERED = threading.local()  # when the callback now running on this thread entered Python


class TimedFUSE(fuse.FUSE):
    """mfusepy's FUSE, noting when each callback enters Python: what mfusepy does before our
    operation runs (copying a write's bytes, decoding the path) is then our own time, which
    the wait makes up for, and not a cost beyond it."""

    def _wrapper(self, func: Callable, *args: Any, **kwargs: Any) -> Any:
        ENTERED.at = time.perf_counter()
        return super()._wrapper(func, *args, **kwargs)


def delayed(kind: str) -> Callable:
    """Each request of this kind is answered no sooner than the model's service time (and,
    under a bandwidth cap, its bytes' time) after it was asked: its own work, and what it
    cost before our handler saw it, count."""

    def wrap(method: Callable) -> Callable:
        def served(self: Passthrough, *args: Any) -> Any:
            entered = getattr(ENTERED, "at", None) or time.perf_counter()
            if FAULTS:
                _hang_if_asked(args)
            tid = fuse.fuse_get_context()[2]
            self.unseen.arrived(tid, entered, kind)
            try:
                try:
                    result = method(self, *args)
                except fuse.FuseOSError:
                    self._answer(kind, entered, None, args)  # a refusal is a round trip too
                    raise
                self._answer(kind, entered, result, args)
                return result
            finally:
                self.unseen.answered(tid)

        served.__name__ = method.__name__
        return served

    return wrap


class Passthrough(fuse.Operations):
    """Every call goes to the same path under root, answered in the model's time."""

    use_ns = True  # nanosecond times pass through unchanged (git compares them)

    def __init__(
        self, root: str, mount_point: str, model: dict[str, Any], conn: dict[str, int]
    ) -> None:
        self.root = os.path.realpath(root)
        self.conn = conn
        self.service_s = {k: float(model.get(f"{k}_service_us", 0)) / 1e6 for k in KINDS}
        self.served = Served(self.service_s)
        self.served_path = ""  # where what was served is written, as it goes and at the end
        self.ended = False  # the last word written: no snapshot after it
        self.unseen = Unseen(self.service_s, self.write_served)
        self.reads = Throttle(float(model.get("read_mib_s", 0)))
        self.writes = Throttle(float(model.get("write_mib_s", 0)))
        self.throttles = {"read": self.reads, "write": self.writes}  # by kind, made once

    def write_served(self, final: bool = False) -> None:
        """What was served so far, for a snapshot (a cold start's requests) or the manifest."""
        if not self.served_path or self.ended:
            return
        self.ended = final
        tmp = f"{self.served_path}.{threading.get_native_id()}.new"
        with open(tmp, "w") as fh:
            json.dump(self.served.report(self.unseen), fh)
        os.replace(tmp, self.served_path)

    def _answer(self, kind: str, entered: float, result: Any, args: tuple) -> None:
        """Sleep until the request's time is up; count it when it was not held."""
        service = self.service_s[kind]
        throttle = self.throttles.get(kind)
        nbytes = len(args[1]) if kind == "write" else len(result or b"") if kind == "read" else 0
        if not service and not (throttle and throttle.bytes_per_s):
            self.served.count(kind, False, nbytes)  # no time to hold
            return
        asked = entered - self.unseen.estimate[kind]
        due = throttle.due(asked, service, nbytes) if throttle else asked + service
        now = time.perf_counter()
        left = due - now
        # not held: our own work ran past the time, or what a request costs here beyond it
        # is more than the estimate may take off, by over LATE_SHARE of the time in all
        late = max(-left, 0.0) + self.unseen.cost[kind] - self.unseen.estimate[kind]
        self.served.count(kind, late > LATE_SHARE * service, nbytes, now - entered)
        if left <= 0:
            return
        # a sleep here wakes this much late (the mean of the last ones: a benchmark's time
        # per operation is a mean too, and late wakes here are skewed): ask for less; and
        # measure every sleep, so that one slow wake early on cannot stop the sleeping
        asked_for = max(left - statistics.fmean(self.served.oversleep), 0.0)
        slept = time.perf_counter()
        time.sleep(asked_for)
        self.served.oversleep.append(min(time.perf_counter() - slept - asked_for, LATE_MAX_S))

    def init_with_config(self, conn: Any, config: Any) -> None:
        # libfuse 3 takes readahead at the connection, not as a mount option, and wants the
        # mount's max_read repeated there (it refuses to start when the two differ)
        for key, value in self.conn.items():
            setattr(conn, key, value)
        self.unseen.start()

    def _real(self, path: str) -> str:
        return os.path.join(self.root, path.lstrip("/"))

    @staticmethod
    def _stat(st: os.stat_result) -> dict[str, Any]:
        out = {k: getattr(st, k) for k in STAT_KEYS}
        out.update(st_atime=st.st_atime_ns, st_mtime=st.st_mtime_ns, st_ctime=st.st_ctime_ns)
        return out

    # metadata
    def getattr(self, path: str, fh: Any = None) -> dict[str, Any]:
        if path == "/" + SERVED_NAME:  # asked for a snapshot of what was served: ours, so
            self.write_served()  # neither delayed nor counted
            raise fuse.FuseOSError(errno.ENOENT)
        return self._getattr(path)

    @delayed("meta")
    def _getattr(self, path: str) -> dict[str, Any]:
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
        os.close(fi.fh)  # the kernel does not wait for release: no time to give
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
        return os.pread(fi.fh, size, offset)

    @delayed("write")
    def write(self, path: str, data: bytes, offset: int, fi: Any) -> int:
        return os.pwrite(fi.fh, data, offset)


def main(argv: list[str]) -> int:
    source, mount_point, model_json, served_path = argv
    model = json.loads(model_json)
    _prctl(PR_SET_TIMERSLACK, 1000)  # 1 µs: worker threads inherit it; 50 µs is the default
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # our parent gone: unmount, do not linger
    options = {
        opt.split("=", 1)[0]: opt.split("=", 1)[1] if "=" in opt else True
        for opt in model["mount_options"]
    }
    conn = {k: int(options[k]) for k in ("max_read", "max_readahead") if k in options}
    options.pop("max_readahead", None)
    layer = Passthrough(source, mount_point, model, conn)
    layer.served_path = served_path
    try:
        _serve(layer, mount_point, model, options)
    finally:  # what was served, and how often the model was not held, for the manifest
        layer.write_served(final=True)
    return 0


def _serve(layer: Passthrough, mount_point: str, model: dict, options: dict) -> None:
    TimedFUSE(
        layer,
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
