"""Short microbenchmarks of one directory: what a share costs per request and per byte.

Each returns seconds per operation (lower is faster), so share/native is a slowdown.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from ..cache import evict

PAGE = 4096


@dataclass(frozen=True)
class Sizes:
    files: int = 100  # stat and create
    writes: int = 1000  # one-byte writes
    loops: int = 100  # write one byte, read it back, stat (microsoft/WSL#9430)
    mmap_mib: int = 8  # cold mmap read, one page at a time
    seq_mib: int = 16  # sequential write (with fsync) and cold read, 1 MiB at a time


# while counting (`counting`): before and after each timed part, what the share's layer has
# served so far, and the list the difference per operation goes to (one entry per timed part)
_COUNTING: ContextVar[tuple[Callable[[], dict[str, int]], list[dict[str, float]]] | None] = (
    ContextVar("counting", default=None)
)


def _timed(fn: Callable[[], int]) -> float:
    counting_now = _COUNTING.get()
    before = counting_now[0]() if counting_now else None
    started = time.perf_counter()
    ops = fn()
    took = (time.perf_counter() - started) / ops
    if counting_now is not None and before is not None:
        counter, counted = counting_now
        after = counter()
        counted.append({k: (after[k] - before.get(k, 0)) / ops for k in after})
    return took


@contextlib.contextmanager
def counting(counter: Callable[[], dict[str, int]]) -> Iterator[list[dict[str, float]]]:
    """Within the block, every benchmark also counts the requests per operation it made
    (counter: requests served so far, per kind); the list fills in the suite's order."""
    counted: list[dict[str, float]] = []
    token = _COUNTING.set((counter, counted))
    try:
        yield counted
    finally:
        _COUNTING.reset(token)


def bench_stat(d: Path, s: Sizes) -> float:
    names = [d / f"s{i}" for i in range(s.files)]
    for p in names:
        p.touch()

    def run() -> int:
        for p in names:
            os.stat(p)
        return len(names)

    return _timed(run)


def bench_create(d: Path, s: Sizes) -> float:
    base = d / f"c{time.monotonic_ns()}"
    base.mkdir()

    def run() -> int:
        for i in range(s.files):
            os.close(os.open(base / f"f{i}", os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644))
        return s.files

    return _timed(run)


def bench_small_write(d: Path, s: Sizes) -> float:
    fd = os.open(d / "w.dat", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
    try:
        return _timed(lambda: sum(os.write(fd, b"x") for _ in range(s.writes)))
    finally:
        os.close(fd)


def bench_loop(d: Path, s: Sizes) -> float:
    p = d / "loop.dat"

    def run() -> int:
        for _ in range(s.loops):
            with open(p, "w") as fh:
                fh.write("1")
            with open(p) as fh:
                fh.read()
            os.stat(p)
        return s.loops

    return _timed(run)


def _write_file(p: Path, mib: int, fsync: bool = True) -> None:
    block = os.urandom(1 << 20)
    with open(p, "wb") as fh:
        for _ in range(mib):
            fh.write(block)
        fh.flush()
        if fsync:
            os.fsync(fh.fileno())


def bench_cold_mmap(d: Path, s: Sizes, cold: Callable[[Path], str]) -> float:
    p = d / "m.dat"
    _write_file(p, s.mmap_mib)
    cold(p)

    def run() -> int:
        with open(p, "rb") as fh, mmap.mmap(fh.fileno(), 0, prot=mmap.PROT_READ) as m:
            total = 0
            for off in range(0, len(m), PAGE):
                total += m[off]  # one page fault per page
        return s.mmap_mib * (1 << 20) // PAGE

    return _timed(run)


def bench_seq_write(d: Path, s: Sizes) -> float:
    return _timed(lambda: _write_file(d / "seq.dat", s.seq_mib) or s.seq_mib)


def bench_seq_read(d: Path, s: Sizes, cold: Callable[[Path], str]) -> float:
    p = d / "seq.dat"
    if not p.exists():
        _write_file(p, s.seq_mib)
    cold(p)

    def run() -> int:
        with open(p, "rb", buffering=0) as fh:
            while fh.read(1 << 20):
                pass
        return s.seq_mib

    return _timed(run)


# name: (unit of one operation, what it stands for)
BENCHMARKS = {
    "stat": ("stat", "stat() of an existing file"),
    "create": ("file", "create an empty file"),
    "small_write": ("write", "one-byte write() to an open file"),
    "loop": ("iteration", "write one byte, read it back, stat (microsoft/WSL#9430)"),
    "cold_mmap": ("page", "page fault of a cold mmap'd file"),
    "seq_write": ("MiB", "sequential write, 1 MiB blocks, then fsync"),
    "seq_read": ("MiB", "sequential read of a cold file, 1 MiB blocks"),
}


def run_suite(where: Path, sizes: Sizes, reps: int = 3) -> tuple[dict[str, float], str]:
    """Median seconds per operation of every benchmark in where; and how files were made cold."""

    def cold(p: Path) -> str:
        # only this file: dropping the whole page cache would also evict the share layer's
        # own code, and its first requests would pay for reloading it
        os.sync()
        evict(p)
        return "fadvise"

    runs: dict[str, list[float]] = {name: [] for name in BENCHMARKS}
    for rep in range(reps):
        d = where / f"bench-{rep}"
        d.mkdir()
        runs["stat"].append(bench_stat(d, sizes))
        runs["create"].append(bench_create(d, sizes))
        runs["small_write"].append(bench_small_write(d, sizes))
        runs["loop"].append(bench_loop(d, sizes))
        runs["cold_mmap"].append(bench_cold_mmap(d, sizes, cold))
        runs["seq_write"].append(bench_seq_write(d, sizes))
        runs["seq_read"].append(bench_seq_read(d, sizes, cold))
    return {k: statistics.median(v) for k, v in runs.items()}, "fadvise (the file under test)"
