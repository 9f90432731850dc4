"""The LLM experiment's part of the report: processed table and figures from data/raw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..plots import save
from . import figures, process


def build(
    run_dirs: list[Path], figures_dir: Path, processed_dir: Path
) -> tuple[list[Path], pd.DataFrame]:
    table = process.llm_table(run_dirs)
    processed_dir.mkdir(parents=True, exist_ok=True)
    out = [processed_dir / "llm.csv"]
    table.to_csv(out[0], index=False)
    out.append(save(figures.tokens_per_s_chart(table), figures_dir / "llm-tokens-per-s.png"))
    out.append(save(figures.ttft_chart(table), figures_dir / "llm-ttft.png"))
    out.append(save(figures.load_chart(table), figures_dir / "llm-load.png"))
    out.append(
        save(figures.roofline_chart(process.rooflines(run_dirs)), figures_dir / "llm-roofline.png")
    )
    return out, table
