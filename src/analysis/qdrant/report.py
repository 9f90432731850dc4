"""The Qdrant experiment's part of the report: processed table and figures from data/raw."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..plots import save
from . import figures, process


def build(
    run_dirs: list[Path], figures_dir: Path, processed_dir: Path
) -> tuple[list[Path], pd.DataFrame]:
    table = process.qdrant_table(run_dirs)
    processed_dir.mkdir(parents=True, exist_ok=True)
    out = [processed_dir / "qdrant.csv"]
    table.to_csv(out[0], index=False)
    lat = process.batch_latencies(run_dirs)
    out.append(save(figures.cold_start_chart(table), figures_dir / "qdrant-cold-start.png"))
    out.append(save(figures.load_timeline(table), figures_dir / "qdrant-load-timeline.png"))
    out.append(save(figures.ingest_chart(table, lat), figures_dir / "qdrant-ingest.png"))
    return out, table
