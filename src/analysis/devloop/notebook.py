"""The dev-loop notebook's steps."""

from __future__ import annotations

import pandas as pd

from . import summary


def headline(t: pd.DataFrame) -> pd.DataFrame:
    """Full build and each edit per placement, the published post's figures beside."""
    builds = summary.build_summary(t).rename(columns={"median": "build_s", "count": "builds"})
    edits = summary.edit_summary(t)
    return edits.merge(builds, on=["source", "host", "role", "target"], how="left").round(3)
