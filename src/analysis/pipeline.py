"""`make experiments` and `make report`: notebooks run by papermill, the report from data/raw."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path

from . import config, paths
from .runs import list_runs, verify_run

# experiment -> notebook; the order is the order they run in
NOTEBOOKS = {"disk": "10-disk.ipynb", "qdrant": "20-qdrant.ipynb", "llm": "30-llm.ipynb"}
# experiment -> module with build(run_dirs, figures_dir, processed_dir) for the report
REPORTERS = {
    "disk": "analysis.disk.report",
    "qdrant": "analysis.qdrant.report",
    "llm": "analysis.llm.report",
}
Say = Callable[[str], None]


def run_notebooks(profile: str, only: list[str] | None = None, say: Say = print) -> dict[str, str]:
    """Each experiment notebook with measure=True; one failing does not stop the rest."""
    import papermill as pm

    out_dir = paths.REPORTS / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, str] = {}
    for experiment, name in NOTEBOOKS.items():
        if only and experiment not in only:
            continue
        nb = paths.NOTEBOOKS / name
        params = {"profile": profile, "measure": True, "source": "raw", "run_ids": []}
        config.check_notebook_parameters(nb, params)
        started = time.perf_counter()
        say(f"{experiment}: running {name} on profile {profile} …")
        try:
            pm.execute_notebook(
                str(nb),
                str(out_dir / name),
                parameters=params,
                cwd=str(paths.NOTEBOOKS),
                progress_bar=False,
            )
            results[experiment] = "ok"
        except pm.PapermillExecutionError as exc:
            results[experiment] = f"failed: {exc.ename}: {exc.evalue}".splitlines()[0]
        say(f"{experiment}: {results[experiment]} ({time.perf_counter() - started:.0f} s)")
    return results


def complete_runs(experiment: str, root: Path | None = None, say: Say = print) -> list[Path]:
    """Complete runs whose files still match the checksums recorded when they ended."""
    dirs = []
    for m in list_runs(root or paths.RAW, experiment):
        if m.get("status") != "complete":
            continue
        problems = verify_run(Path(m["_path"]))
        if problems:
            say(f"{experiment}: run {m['run_id']} left out, changed since it ended: {problems[0]}")
            continue
        dirs.append(Path(m["_path"]))
    return dirs


def build_report(root: Path | None = None, say: Say = print) -> dict[str, list[Path]]:
    """Processed tables and figures for every experiment with complete runs."""
    made: dict[str, list[Path]] = {}
    for experiment, module in REPORTERS.items():
        dirs = complete_runs(experiment, root, say)
        if not dirs:
            say(f"{experiment}: no complete run in data/raw; run `wsl-lab run {experiment}`")
            continue
        build = importlib.import_module(module).build
        made[experiment] = build(dirs, paths.FIGURES, paths.PROCESSED)
        say(f"{experiment}: {len(dirs)} run(s) → {len(made[experiment])} file(s)")
    return made
