"""What notebooks call: pick or measure runs, describe them, show and save figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import Image, display

from . import paths, plots
from .experiments import get
from .report.fidelity import display as readable
from .report.fidelity import fidelity_table
from .runs import load_manifest, select_runs


def runs(
    experiment: str,
    profile: str,
    measure: bool,
    source: str,
    run_ids: list[str],
    overrides: dict | None = None,
) -> list[Path]:
    """Measure first when asked (the new run is shown), else the runs named or the latest;
    overrides replace the profile's keys for the run (`wsl-lab experiments --reps 1`)."""
    if not measure:
        return select_runs(experiment, run_ids or None, source)

    exp = get(experiment)
    return [exp.measure(profile, {**exp.notebook_overrides, **(overrides or {})}).path]


def tidy_table(experiment: str, run_dirs: list[Path], source: str) -> pd.DataFrame:
    """The experiment's tidy rows of the runs and the post, written to the processed folder."""
    return save_processed(get(experiment).table(run_dirs), experiment, source)


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


def save_processed(table: pd.DataFrame, experiment: str, source: str) -> pd.DataFrame:
    """The tidy table to `<processed>/<experiment>.csv` (derived data, rebuilt at will)."""
    out = paths.processed_root(source)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / f"{experiment}.csv", index=False)
    return table


def show(chart: plots.Chart, table: pd.DataFrame, run_dirs: list[Path], source: str) -> None:
    """Draw and save the chart with the one helper, show the saved PNG and the data it plots
    (so a notebook check compares numbers, not only `<Image object>`)."""
    fig = chart.draw(table, run_dirs)
    path = plots.save(fig, paths.figures_root(source) / f"{chart.name}.png")
    display(Image(filename=str(path)))
    if chart.data is not None:
        display(chart.data(table, run_dirs).round(3).reset_index(drop=True))


def fidelity(experiment: str, table: pd.DataFrame, run_dirs: list[Path]) -> pd.DataFrame:
    """The fidelity table for one experiment's runs: the post's findings, reproduced or not."""
    return readable(fidelity_table({experiment: table}, {experiment: run_dirs}))
