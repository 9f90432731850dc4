"""Running the disk experiment: every tool on every target, N times, nothing lost."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import hostinfo
from ..errors import ExperimentError, ParameterError
from ..faults import checkpoint
from ..memlimit import page_cache_cap
from ..placement.share import placed, share_model_of
from ..proc import require_tool, run_tool, tool_version
from ..runs import Run, create_run, measure_each, recording, rep_names
from ..targets import (
    Target,
    cleanup_scratch,
    make_scratch,
    prepare,
)
from . import bonnie, fio

TOOLS = ("bonnie", "fio")
Say = Callable[[str], None]


def tool_versions(tools: list[str]) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    if "bonnie" in tools:
        versions["bonnie++"] = tool_version(["bonnie++", "-h"], "Version:")
    if "fio" in tools:
        versions["fio"] = tool_version(["fio", "--version"])
    versions["bindfs"] = tool_version(["bindfs", "--version"])
    return versions


def _run_bonnie(
    run: Run, label: str, rep: str, scratch: Path, params: dict[str, Any]
) -> dict[str, Any]:
    cmd = bonnie.command(
        require_tool("bonnie++"), scratch, label, params["bonnie"], os.geteuid() == 0
    )
    out = run.file(label, f"bonnie-{rep}.out")
    ram_mib = int(params["bonnie"].get("ram_mib") or 0)
    # Bonnie++ sizes its files at twice the RAM it is told (-r): cap its page cache there,
    # or it measures memory instead of the place
    cap = (
        page_cache_cap(f"{run.run_id}-{label}", ram_mib * 2**20)
        if ram_mib
        else contextlib.nullcontext(([], {"method": "none", "reason": "-r not set"}))
    )
    with cap as (prefix, facts):
        run_tool(
            [*prefix, *cmd],
            out,
            run.file(label, f"bonnie-{rep}.err"),
            cwd=scratch,
            timeout=params.get("tool_timeout_s"),
        )
    bonnie.parse_file(out)  # a run whose output cannot be read is a failed run
    return {"page_cache_cap": facts}


def _run_fio(
    run: Run, label: str, rep: str, scratch: Path, params: dict[str, Any]
) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    job_params = dict(params["fio"])
    if job_params.get("published_job"):
        # the post's job asks for O_DIRECT; where the share refuses it, run without, and say so
        job_params["published_direct"] = facts["published_direct"] = fio.direct_io_allowed(scratch)
    job = run.file(label, f"fio-{rep}.fio")
    job.write_text(fio.job_file(job_params))
    out = run.file(label, f"fio-{rep}.json")
    run_tool(
        fio.command(require_tool("fio"), job, out),
        run.file(label, f"fio-{rep}.err"),
        run.file(label, f"fio-{rep}.stderr"),
        cwd=scratch,
        timeout=params.get("tool_timeout_s"),
    )
    fio.parse_file(out)
    return facts


RUNNERS = {"bonnie": _run_bonnie, "fio": _run_fio}


def measure_target(run: Run, target: Target, params: dict[str, Any], say: Say) -> None:
    """All repetitions of all tools on one target; each failure recorded, the rest goes on."""
    label = target.label
    reps = rep_names(int(params["reps"]), int(params.get("warmup", 0)))
    results = []
    with placed(run, target, params) as where:
        checkpoint("setup")
        for rep in reps:
            for tool in params["tools"]:
                scratch = make_scratch(where, run.run_id, label)
                started = time.perf_counter()
                entry: dict[str, Any] = {"rep": rep, "tool": tool, "warmup": rep.startswith("w")}
                try:
                    say(f"  {label}: {tool} {rep} …")
                    entry.update(RUNNERS[tool](run, label, rep, scratch, params))
                    entry["status"] = "complete"
                except ExperimentError as exc:
                    entry.update(status="failed", error=str(exc))
                    say(f"  {label}: {tool} {rep} failed: {exc}")
                except KeyboardInterrupt:
                    entry["status"] = "interrupted"
                    raise
                finally:
                    entry["seconds"] = round(time.perf_counter() - started, 3)
                    results.append(entry)
                    run.set_target(label, results=results)
                    cleanup_scratch(scratch)
    failed = [r for r in results if r["status"] == "failed"]
    status = "complete" if not failed else ("failed" if len(failed) == len(results) else "partial")
    run.set_target(label, status=status)


def check_params(params: dict[str, Any]) -> None:
    unknown = [t for t in params["tools"] if t not in TOOLS]
    if unknown:
        raise ParameterError(f"unknown disk tool(s) {unknown}: choose from {', '.join(TOOLS)}")
    if int(params["reps"]) < 1:
        raise ParameterError(f"reps must be at least 1, got {params['reps']}")


def run_disk(
    params: dict[str, Any],
    targets: list[Target],
    root: Path | None = None,
    say: Say = print,
) -> Run:
    """Measure every target; returns the run (its manifest says what failed and why)."""
    check_params(params)
    prepare(targets)
    share_model_of(params, targets)  # a bad model: one line, before any run directory
    run = create_run(
        "disk",
        {**params, "targets": [str(t) for t in targets]},
        root,
        tools=tool_versions(params["tools"]),
    )
    need = (
        bonnie.needed_bytes(params["bonnie"], hostinfo.memory_bytes())
        if ("bonnie" in params["tools"])
        else 0
    )
    need = max(need, int(params["fio"]["size_mib"]) * 2**21 if "fio" in params["tools"] else 0)
    with recording(run):
        say(f"run {run.run_id} → {run.path}")
        measure_each(run, targets, need, lambda t: measure_target(run, t, params, say), say)
    return run
