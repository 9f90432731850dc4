"""Token generation is memory-bound: each token reads every weight once. How close are we?"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def measure_bandwidth(mib: int = 256, rounds: int = 5, threads: int | None = None) -> float:
    """Bytes/s of a large memory copy (read + write), best of rounds, the higher of one thread
    and every core at once: llama.cpp generates on every core, and a bound must not be
    lower than what the machine can move (on a small VM one thread may already saturate it).
    numpy releases the GIL while it copies."""
    threads = threads or os.cpu_count() or 1
    if threads > 1:
        return max(_copy_rate(mib, rounds, 1), _copy_rate(mib, rounds, threads))
    return _copy_rate(mib, rounds, 1)


def _copy_rate(mib: int, rounds: int, threads: int) -> float:
    n = mib * 2**20
    src = np.ones(n, dtype=np.uint8)
    dst = np.empty_like(src)
    edges = np.linspace(0, n, threads + 1).astype(int)
    parts = list(zip(edges[:-1], edges[1:], strict=True))
    best = float("inf")
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(rounds):
            t = time.perf_counter()
            list(pool.map(lambda p: np.copyto(dst[p[0] : p[1]], src[p[0] : p[1]]), parts))
            best = min(best, time.perf_counter() - t)
    return 2 * n / best


def roofline(weights_bytes: int, bandwidth_bps: float, achieved_tps: float | None) -> dict:
    """The bound in tokens/s and the achieved fraction of it."""
    bound = bandwidth_bps / weights_bytes if weights_bytes else None
    return {
        "weights_bytes": weights_bytes,
        "bandwidth_bps": bandwidth_bps,
        "bound_tokens_per_s": bound,
        "achieved_tokens_per_s": achieved_tps,
        "fraction": achieved_tps / bound if bound and achieved_tps else None,
    }
