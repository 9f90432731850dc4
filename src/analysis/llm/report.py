"""The LLM experiment's part of the report: its table and figures, from data/raw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from . import figures, process


def make(run_dirs: list[Path]) -> tuple[pd.DataFrame, dict[str, Figure]]:
    table = process.llm_table(run_dirs)
    return table, {c.name: c.draw(table, run_dirs) for c in figures.CHARTS}
