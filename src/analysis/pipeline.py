"""`make experiments` and `make report`: notebooks run by papermill, the report from data/raw."""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import papermill as pm
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from . import config, paths
from .errors import ExperimentError
from .experiments import experiments
from .interrupts import Interrupted
from .plots import save
from .report.post import PostInputs, figure_note, figure_phrases, words, write_post
from .report.site import write_skeleton
from .runs import complete_runs, load_manifest, settle

Say = Callable[[str], None]


KERNELS: list[Any] = []  # the kernel managers of this process, the latest last


def ipc_kernel_manager() -> type:
    """A kernel manager that talks to its kernel over Unix sockets, not TCP: nothing on the
    network, and no "Kernel is running over TCP without encryption" once per notebook. Each
    one is listed in KERNELS, so that an interrupt can be passed on to its kernel."""

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            KERNELS.append(self)

        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

    return IPCKernelManager


class Forwarded:
    """SIGINT or SIGTERM to `wsl-lab experiments` while a notebook runs: its kernel, in a
    session of its own that no terminal reaches, gets the Ctrl-C instead (its whole process
    group: the kernel and the tools it started), so the run cleans up and is marked
    `interrupted` as on Ctrl-C to `wsl-lab run`; then no other notebook starts. A second
    signal, or one with no kernel to pass it to, stops at once."""

    def __init__(self) -> None:
        self.signal: int | None = None
        self.previous: dict[int, Any] = {}

    def _kernel_group(self) -> int | None:
        km = KERNELS[-1] if KERNELS else None
        prov = getattr(km, "provisioner", None)
        return getattr(prov, "pgid", None) if prov is not None and prov.has_process else None

    def _handle(self, signum: int, frame: Any) -> None:
        group = self._kernel_group()
        if self.signal is not None or group is None:
            raise KeyboardInterrupt(f"signal {signum}")
        self.signal = signum
        os.killpg(group, signal.SIGINT)

    def __enter__(self) -> Forwarded:
        for s in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(s) != signal.SIG_IGN:  # a `nohup … &` job keeps SIGINT off
                self.previous[s] = signal.signal(s, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for s, handler in self.previous.items():
            signal.signal(s, handler)


class Lines:
    """A file-like sink for a notebook's stdout as papermill streams it: each whole line
    is said at once, indented under the experiment (what a measuring step prints)."""

    def __init__(self, say: Say) -> None:
        self.say = say
        self.rest = ""

    def write(self, text: str) -> int:
        self.rest += text
        *lines, self.rest = self.rest.split("\n")
        for line in lines:
            if line.strip():
                self.say(f"  {line.rstrip()}")
        return len(text)

    def flush(self) -> None:
        pass


def run_notebooks(
    profile: str,
    only: list[str] | None = None,
    say: Say = print,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> dict[str, str]:
    """Each experiment notebook with measure=True; one failing does not stop the rest. What
    the measuring step prints (its progress lines) is said as it comes."""
    out_dir = paths.REPORTS / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    for m in settle(by="wsl-lab experiments"):
        say(f"{m['experiment']}: run {m['run_id']} abandoned: {m['abandoned']['why']}")
    results: dict[str, str] = {}
    with Forwarded() as forwarded:
        for experiment, exp in experiments().items():  # the registry's order
            if forwarded.signal is not None:
                break  # interrupted: the remaining notebooks do not start
            if only and experiment not in only:
                continue
            results[experiment] = _run_notebook(
                pm, experiment, exp, profile, out_dir, overrides, say
            )
    if forwarded.signal is not None:
        raise Interrupted(forwarded.signal)
    return results


def _run_notebook(
    pm: Any,
    experiment: str,
    exp: Any,
    profile: str,
    out_dir: Path,
    overrides: dict[str, dict[str, Any]] | None,
    say: Say,
) -> str:
    """One experiment's notebook, measuring; what it printed said as it came."""
    name = exp.notebook
    nb = paths.NOTEBOOKS / name
    params = {
        "profile": profile,
        "measure": True,
        "source": "raw",
        "run_ids": [],
        "overrides": (overrides or {}).get(experiment, {}),
    }
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
            stdout_file=Lines(say),
            kernel_manager_class=ipc_kernel_manager(),
        )
        result = "ok"
    except pm.PapermillExecutionError as exc:
        if exc.ename == "KeyboardInterrupt":  # our interrupt, passed on to its kernel
            result = "interrupted"
        else:
            result = f"failed: {exc.ename}: {exc.evalue}".splitlines()[0]
    say(f"{experiment}: {result} ({time.perf_counter() - started:.0f} s)")
    return result


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
    profile: str = config.DEFAULT_PROFILE,
    lang: str | None = None,
    day: date | None = None,
    say: Say = print,
    reports: Path | None = None,
    processed: Path | None = None,
) -> dict[str, object]:
    """Processed tables, figures and the Jekyll post, from data/raw alone."""
    reports = reports or paths.REPORTS
    processed = processed or paths.PROCESSED
    settle(root, by="wsl-lab report")
    chosen = select_runs_for_report(root, run_ids, say)
    if not chosen:
        raise ExperimentError(
            "nothing to report: no complete run in data/raw (run `make experiments` first)"
        )
    tables, figures = {}, {}
    processed.mkdir(parents=True, exist_ok=True)
    meta = config.load_profile(profile).get("report", {})
    lang = lang or meta.get("lang", "zh-TW")
    t = words(lang)
    phrases, cjk = figure_phrases(lang), bool(t["cjk"])
    for experiment, dirs in chosen.items():
        exp = experiments()[experiment]
        note = figure_note(t, exp, dirs)
        table, figs = exp.report(dirs, note=note, phrases=phrases, cjk=cjk)
        table.to_csv(processed / f"{experiment}.csv", index=False)
        tables[experiment] = table
        for name, fig in figs.items():
            figures[name] = save(fig, reports / "figures" / f"{name}.png")
        say(f"{experiment}: {len(dirs)} run(s) → a table and {len(figs)} figures")
    site = reports / "site"
    for derived in ("_posts", "wp-content", "_site"):
        shutil.rmtree(site / derived, ignore_errors=True)  # derived: rebuilt every time
    write_skeleton(site)
    post = write_post(
        PostInputs(tables, chosen, figures),
        site,
        meta,
        lang,
        day or datetime.now(UTC).date(),
    )
    say(f"post: {post}")
    return {"post": post, "figures": figures, "runs": chosen}
