"""What notebooks call: pick or measure runs, describe them, show and save figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from IPython.display import Image, display
from matplotlib.figure import Figure

from . import paths, plots
from .runs import load_manifest, select_runs


def runs_for(
    experiment: str, measure: Callable[[], Path] | None, source: str, run_ids: list[str]
) -> list[Path]:
    """Measure first when asked (the new run is shown), else the runs named or the latest."""
    if measure is not None:
        return [measure()]
    return select_runs(experiment, run_ids or None, source)


def describe(run_dirs: list[Path]) -> pd.DataFrame:
    """One row per run and target: where it ran, on what, and how it ended."""
    rows = []
    for d in run_dirs:
        m = load_manifest(d)
        h = m["host"]
        for label, t in m.get("targets", {}).items():
            rows.append(
                {
                    "run_id": m["run_id"],
                    "status": m["status"],
                    "profile": m["parameters"].get("profile"),
                    "host": h["hostname"],
                    "cpu": f"{h['cpu_count']} × {h['cpu_model']}",
                    "wsl": h.get("wsl_version") or "no",
                    "target": label,
                    "fstype": t.get("fstype"),
                    "target_status": t.get("status"),
                    "error": t.get("error", ""),
                }
            )
    return pd.DataFrame(rows)


def show(fig: Figure, name: str, source: str) -> None:
    """Save the figure with the one helper, then show the saved PNG."""
    path = plots.save(fig, paths.figures_root(source) / f"{name}.png")
    display(Image(filename=str(path)))
