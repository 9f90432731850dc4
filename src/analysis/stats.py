"""Repetitions: median and a distribution-free 95% interval, with a word when N is too small."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

MIN_N_FOR_CI = 6  # below this, no order-statistic interval reaches 95% coverage
MIN_N_FOR_RANGE = 3  # below this, no whiskers at all: two points are not a spread
WIDE_SPREAD = 0.5  # interval wider than half the median: say so


def median_ci(values: list[float], level: float = 0.95) -> tuple[float | None, float | None]:
    """Order-statistic interval for the median (binomial, no normality assumed)."""
    xs = sorted(v for v in values if v is not None and not math.isnan(v))
    n = len(xs)
    if n < MIN_N_FOR_CI:
        return None, None
    alpha = 1 - level
    # largest k with P(Binom(n, .5) <= k - 1) <= alpha / 2
    k, cum = 0, 0.0
    for j in range(n):
        cum += math.comb(n, j) / 2**n
        if cum > alpha / 2:
            break
        k = j + 1
    k = max(k, 1)
    return xs[k - 1], xs[n - k]


def summarize(values: list[float]) -> dict[str, Any]:
    xs = [v for v in values if v is not None and not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return {"n": 0, "median": None, "ci_low": None, "ci_high": None, "note": "no values"}
    med = float(pd.Series(xs).median())
    lo, hi = median_ci(xs)
    note = ""
    if n < MIN_N_FOR_RANGE:
        note = f"n={n}: no interval (needs {MIN_N_FOR_RANGE} independent repetitions)"
    elif lo is None:
        note = f"n={n} too small for a 95% interval (needs {MIN_N_FOR_CI}); min–max shown"
        lo, hi = min(xs), max(xs)
    elif med and (hi - lo) / abs(med) > WIDE_SPREAD:
        note = "wide spread: interval wider than half the median"
    return {"n": n, "median": med, "ci_low": lo, "ci_high": hi, "note": note}


def summarize_over(groups: list[list[float]]) -> dict[str, Any]:
    """Samples taken inside repetitions (requests after one load) are not independent: one
    median per repetition, then the summary over those; n counts repetitions."""
    medians = []
    for g in groups:
        xs = [v for v in g if v is not None and not math.isnan(v)]
        if xs:
            medians.append(float(pd.Series(xs).median()))
    return summarize(medians)


def number(x: Any) -> float | None:
    """A table cell as a float, or None when it holds nothing (NaN, None): never a 0."""
    return None if x is None or pd.isna(x) else float(x)
