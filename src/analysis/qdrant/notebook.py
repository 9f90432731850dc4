"""The Qdrant notebook's steps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import notebooks
from . import process


def runs(profile: str, measure: bool, source: str, run_ids: list[str]) -> list[Path]:
    return notebooks.runs("qdrant", profile, measure, source, run_ids)


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
        index=["source", "target"], columns="metric", values="value", aggfunc="median", sort=False
    )
    if "cold_start_s" in out:
        native = out["cold_start_s"].xs("native", level="target", drop_level=False)
        ratios = {
            src: out.loc[(src, "share"), "cold_start_s"] / out.loc[(src, "native"), "cold_start_s"]
            for src, _ in native.index
            if (src, "share") in out.index
        }
        out["share_vs_native"] = [
            ratios.get(src) if tg == "share" else None for src, tg in out.index
        ]
    return out.round(4).reset_index()
