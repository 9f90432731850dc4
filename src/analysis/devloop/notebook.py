"""The dev-loop notebook's steps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import notebooks
from . import process, summary


def runs(
    profile: str, measure: bool, source: str, run_ids: list[str], overrides: dict | None = None
) -> list[Path]:
    return notebooks.runs("devloop", profile, measure, source, run_ids, overrides)


def table(run_dirs: list[Path], source: str) -> pd.DataFrame:
    return notebooks.save_processed(process.devloop_table(run_dirs), "devloop", source)


def headline(t: pd.DataFrame) -> pd.DataFrame:
    """Full build and each edit per placement, the published post's figures beside."""
    builds = summary.build_summary(t).rename(columns={"median": "build_s", "count": "builds"})
    edits = summary.edit_summary(t)
    return edits.merge(builds, on=["source", "host", "target"], how="left").round(3)
