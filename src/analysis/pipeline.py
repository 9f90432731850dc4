"""`make experiments` and `make report`: notebooks run by papermill, the report from data/raw."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from . import config, paths
from .errors import ExperimentError
from .experiments import experiments
from .plots import save
from .runs import list_runs, load_manifest, verify_run

Say = Callable[[str], None]


def ipc_kernel_manager() -> type:
    """A kernel manager that talks to its kernel over Unix sockets, not TCP: nothing on the
    network, and no "Kernel is running over TCP without encryption" once per notebook."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

    return IPCKernelManager


def run_notebooks(profile: str, only: list[str] | None = None, say: Say = print) -> dict[str, str]:
    """Each experiment notebook with measure=True; one failing does not stop the rest."""
    import papermill as pm

    out_dir = paths.REPORTS / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, str] = {}
    for experiment, exp in experiments().items():  # the registry's order
        name = exp.notebook
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
                kernel_manager_class=ipc_kernel_manager(),
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


def select_runs_for_report(
    root: Path | None = None, run_ids: list[str] | None = None, say: Say = print
) -> dict[str, list[Path]]:
    """Per experiment: the runs named, else the latest complete run of every host."""
    chosen: dict[str, list[Path]] = {}
    for experiment in experiments():
        dirs = complete_runs(experiment, root, say)
        if run_ids:
            dirs = [d for d in dirs if d.name in run_ids]
        else:
            latest: dict[str, Path] = {}
            for d in dirs:  # oldest first, so the newest of each host wins
                latest[load_manifest(d)["host"]["hostname"]] = d
            dirs = list(latest.values())
        if dirs:
            chosen[experiment] = dirs
        else:
            say(
                f"{experiment}: no complete run in {root or paths.RAW}; "
                f"run `wsl-lab run {experiment}`"
            )
    if run_ids:
        found = {d.name for ds in chosen.values() for d in ds}
        missing = sorted(set(run_ids) - found)
        if missing:
            raise ExperimentError(
                f"no complete, unmodified run {', '.join(missing)} "
                f"under {root or paths.RAW}: see `wsl-lab runs`"
            )
    return chosen


def build_report(
    root: Path | None = None,
    run_ids: list[str] | None = None,
    profile: str = "smoke",
    lang: str | None = None,
    day: date | None = None,
    say: Say = print,
    reports: Path | None = None,
    processed: Path | None = None,
) -> dict[str, object]:
    """Processed tables, figures and the Jekyll post, from data/raw alone."""
    from .report.post import PostInputs, write_post
    from .report.site import write_skeleton

    reports = reports or paths.REPORTS
    processed = processed or paths.PROCESSED
    chosen = select_runs_for_report(root, run_ids, say)
    if not chosen:
        raise ExperimentError(
            "nothing to report: no complete run in data/raw (run `make experiments` first)"
        )
    tables, figures = {}, {}
    processed.mkdir(parents=True, exist_ok=True)
    for experiment, dirs in chosen.items():
        table, figs = experiments()[experiment].report(dirs)
        table.to_csv(processed / f"{experiment}.csv", index=False)
        tables[experiment] = table
        for name, fig in figs.items():
            figures[name] = save(fig, reports / "figures" / f"{name}.png")
        say(f"{experiment}: {len(dirs)} run(s) → a table and {len(figs)} figures")
    meta = config.load_profile(profile).get("report", {})
    site = reports / "site"
    for derived in ("_posts", "wp-content", "_site"):
        shutil.rmtree(site / derived, ignore_errors=True)  # derived: rebuilt every time
    write_skeleton(site)
    post = write_post(
        PostInputs(tables, chosen, figures),
        site,
        meta,
        lang or meta.get("lang", "zh-TW"),
        day or datetime.now(UTC).date(),
    )
    say(f"post: {post}")
    return {"post": post, "figures": figures, "runs": chosen}
