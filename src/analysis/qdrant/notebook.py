"""The Qdrant notebook's steps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import notebooks
from . import process


def runs(
    profile: str, measure: bool, source: str, run_ids: list[str], overrides: dict | None = None
) -> list[Path]:
    return notebooks.runs("qdrant", profile, measure, source, run_ids, overrides)


def table(run_dirs: list[Path], source: str) -> pd.DataFrame:
    return notebooks.save_processed(process.qdrant_table(run_dirs), "qdrant", source)


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
