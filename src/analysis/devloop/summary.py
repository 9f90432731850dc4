"""The devloop experiment's summaries: the numbers its figures plot and the post quotes, by
the role each place plays (native, share, simulated), as the other experiments' are."""

from __future__ import annotations

import pandas as pd


def _kept(t: pd.DataFrame, metric: str) -> pd.DataFrame:
    return t[(t["metric"] == metric) & ~t["warmup"].astype(bool)]


def build_summary(t: pd.DataFrame) -> pd.DataFrame:
    """Per role: the median full build and how many builds it is over (and the place's label)."""
    b = _kept(t, "build_s")
    out = b.groupby(["source", "host", "role"], sort=False).agg(
        target=("target", "first"), median=("value", "median"), count=("value", "count")
    )
    return out.reset_index()


def edit_summary(t: pd.DataFrame) -> pd.DataFrame:
    """Per role, watch mode and edit side: seconds until the page showed the edit, whether
    every edit arrived, and how long one was waited for."""
    e = _kept(t, "rebuild_s")
    keys = ["source", "host", "role", "watch", "side"]
    out = e.groupby(keys, sort=False).agg(
        target=("target", "first"),
        rebuild_s=("value", "median"),
        delivered=("delivered", "all"),
        timeout_s=("timeout_s", "max"),
    )
    return out.reset_index()
