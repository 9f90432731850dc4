"""The LLM experiment's part of the report: its table and figures, from data/raw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from . import figures, process


def make(run_dirs: list[Path]) -> tuple[pd.DataFrame, dict[str, Figure]]:
    table = process.llm_table(run_dirs)
    return table, {
        "llm-tokens-per-s": figures.tokens_per_s_chart(table),
        "llm-ttft": figures.ttft_chart(table),
        "llm-load": figures.load_chart(table),
        "llm-roofline": figures.roofline_chart(process.rooflines(run_dirs)),
    }
