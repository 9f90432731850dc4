"""The devloop experiment's summaries: the numbers its figures plot and the post quotes."""

from __future__ import annotations

import pandas as pd


def build_summary(t: pd.DataFrame) -> pd.DataFrame:
    b = t[t["metric"] == "build_s"]
    out = b.groupby(["source", "host", "target"], sort=False)["value"].agg(["median", "count"])
    return out.reset_index()


def edit_summary(t: pd.DataFrame) -> pd.DataFrame:
    """Per placement, watch mode and edit side: seconds until the page showed the edit."""
    e = t[t["metric"] == "rebuild_s"]
    keys = ["source", "host", "target", "watch", "side"]
    out = e.groupby(keys, sort=False).agg(
        rebuild_s=("value", "median"), delivered=("delivered", "all")
    )
    return out.reset_index()
