"""The disk experiment's part of the report: its table and figures, from data/raw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from . import figures, process


def make(run_dirs: list[Path]) -> tuple[pd.DataFrame, dict[str, Figure]]:
    table = process.disk_table(run_dirs)
    return table, {
        "disk-bonnie": figures.bonnie_bars(table),
        "disk-bonnie-latency": figures.latency_bars(table),
        "disk-slowdown": figures.slowdown_chart(table),
        "disk-fio": figures.fio_bars(table),
    }
