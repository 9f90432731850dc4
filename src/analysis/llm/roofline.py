"""Token generation is memory-bound: each token reads every weight once. How close are we?"""

from __future__ import annotations

import time

import numpy as np


def measure_bandwidth(mib: int = 256, rounds: int = 5) -> float:
    """Bytes/s of a large memory copy (read + write), best of rounds: this CPU's bandwidth."""
    n = mib * 2**20
    src = np.ones(n, dtype=np.uint8)
    dst = np.empty_like(src)
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        np.copyto(dst, src)
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
