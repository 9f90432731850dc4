"""The disk experiment's part of the report: processed table and figures from data/raw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..plots import save
from . import figures, process


def build(
    run_dirs: list[Path], figures_dir: Path, processed_dir: Path
) -> tuple[list[Path], pd.DataFrame]:
    table = process.disk_table(run_dirs)
    processed_dir.mkdir(parents=True, exist_ok=True)
    out = [processed_dir / "disk.csv"]
    table.to_csv(out[0], index=False)
    out.append(save(figures.bonnie_bars(table), figures_dir / "disk-bonnie.png"))
    out.append(save(figures.slowdown_chart(table), figures_dir / "disk-slowdown.png"))
    out.append(save(figures.fio_bars(table), figures_dir / "disk-fio.png"))
    return out, table
