"""The Qdrant notebook's steps."""

from __future__ import annotations

import pandas as pd


def headline(t: pd.DataFrame) -> pd.DataFrame:
    """Cold start and ingest per placement: median here, the post's figures beside."""
    keep = t[~t["warmup"].astype(bool) & (t["collection"] == "")]
    keep = keep[
        keep["metric"].isin(
            ["cold_start_s", "ingest_records_per_s", "batch_p99_s", "storage_bytes"]
        )
    ]
    out = keep.pivot_table(
        index=["source", "target", "role"],
        columns="metric",
        values="value",
        aggfunc="median",
        sort=False,
    )
    if "cold_start_s" in out:
        cold = out["cold_start_s"].groupby(level=["source", "role"]).median()
        out["vs_native"] = [
            cold[(src, role)] / cold[(src, "native")]
            if role in ("share", "simulated") and (src, "native") in cold.index
            else None
            for src, _, role in out.index
        ]
    return out.round(4).reset_index()
