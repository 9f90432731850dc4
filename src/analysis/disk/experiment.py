"""Running the disk experiment: every tool on every target, N times, nothing lost."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import hostinfo
from ..commands import PlaceDied, require_tool, run_tool, tool_version
from ..errors import ExperimentError, ToolError
from ..faults import checkpoint
from ..memlimit import oom_kills, page_cache_cap
from ..params import as_dict
from ..progress import Step, step
from ..runner.place import checked, measure_each, placed
from ..runs import Run, create_run, recording, rep_names
from ..targets.scratch import scratch_dir
from ..targets.target import Target
from . import bonnie, fio
from .params import DiskParams

Say = Callable[[str], None]


def tool_versions(tools: tuple) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    if "bonnie" in tools:
        versions["bonnie++"] = tool_version(["bonnie++", "-h"], "Version:")
    if "fio" in tools:
        versions["fio"] = tool_version(["fio", "--version"])
    versions["bindfs"] = tool_version(["bindfs", "--version"])
    return versions


def _run_bonnie(run: Run, label: str, rep: str, scratch: Path, p: DiskParams) -> dict[str, Any]:
    cmd = bonnie.command(require_tool("bonnie++"), scratch, label, p.bonnie, os.geteuid() == 0)
    out = run.file(label, f"bonnie-{rep}.out")
    # Bonnie++ sizes its files at twice the RAM it is told (-r): cap its page cache there,
    # or it measures memory instead of the place
    cap = (
        page_cache_cap(f"{run.run_id}-{label}", p.bonnie.ram_mib * 2**20)
        if p.bonnie.ram_mib
        else contextlib.nullcontext(([], {"method": "none", "reason": "-r not set"}))
    )
    with cap as (prefix, facts):
        try:
            run_tool(
                [*prefix, *cmd],
                out,
                run.file(label, f"bonnie-{rep}.err"),
                cwd=scratch,
                timeout=p.tool_timeout_s,
            )
        except ToolError as exc:
            if oom_kills(facts):
                raise ToolError(
                    f"Bonnie++ was killed for memory by its page-cache cap "
                    f"({facts['limit_bytes'] / 2**20:.0f} MiB: -r {p.bonnie.ram_mib} MiB and "
                    f"{facts['headroom_bytes'] / 2**20:.0f} MiB for the tool): "
                    f"raise disk.bonnie.ram_mib (--set disk.bonnie.ram_mib=N)"
                ) from exc
            raise
    bonnie.parse_file(out)  # a run whose output cannot be read is a failed run
    return {"page_cache_cap": facts}


def _run_fio(run: Run, label: str, rep: str, scratch: Path, p: DiskParams) -> dict[str, Any]:
    # cold jobs ask for O_DIRECT; where the place refuses it, they fsync and evict instead
    direct = fio.direct_io_allowed(scratch)
    job = run.file(label, f"fio-{rep}.fio")
    job.write_text(fio.job_file(p.fio, direct=direct))
    out = run.file(label, f"fio-{rep}.json")
    run_tool(
        fio.command(require_tool("fio"), job, out),
        run.file(label, f"fio-{rep}.err"),
        run.file(label, f"fio-{rep}.stderr"),
        cwd=scratch,
        timeout=p.tool_timeout_s,
    )
    fio.parse_file(out)
    return {"cold_method": "O_DIRECT" if direct else "fsync, then posix_fadvise(DONTNEED)"}


TOOL_RUNS = {"bonnie": _run_bonnie, "fio": _run_fio}


def measure_target(run: Run, target: Target, p: DiskParams, say: Say) -> None:
    """All repetitions of all tools on one target; each failure recorded, the rest goes on."""
    label = target.label
    results = []
    with placed(run, target, p.share_model) as place:
        checkpoint("setup")
        for rep in rep_names(p.reps, p.warmup):
            for tool in p.tools:
                started = time.perf_counter()
                entry: dict[str, Any] = {"rep": rep, "tool": tool, "warmup": rep.startswith("w")}
                try:
                    # a fresh directory per tool run: no tool sees another's files
                    with (
                        step(label, tool, rep),
                        scratch_dir(place.scratch, run.run_id, f"{tool}-{rep}") as scratch,
                    ):
                        entry.update(TOOL_RUNS[tool](run, label, rep, scratch, p))
                        entry["status"] = "complete"
                except PlaceDied as exc:  # the share died: nothing more to measure there
                    entry.update(status="failed", error=str(exc))
                    raise
                except ExperimentError as exc:
                    entry.update(status="failed", error=str(exc))
                    say(f"  {label}: {tool} {rep} failed: {exc}")
                except KeyboardInterrupt:  # a run that completed before cleanup stays so
                    entry.setdefault("status", "interrupted")
                    raise
                finally:
                    entry["seconds"] = round(time.perf_counter() - started, 3)
                    results.append(entry)
                    run.set_target(label, results=results)
    failed = [r for r in results if r["status"] == "failed"]
    status = "complete" if not failed else ("failed" if len(failed) == len(results) else "partial")
    run.set_target(label, status=status)


def needed_bytes(p: DiskParams) -> int:
    """Free space a target needs: Bonnie++'s file, fio's files (written, then read)."""
    need = bonnie.needed_bytes(p.bonnie, hostinfo.memory_bytes()) if "bonnie" in p.tools else 0
    return max(need, p.fio.size_mib * 2**21 if "fio" in p.tools else 0)


def steps(p: DiskParams) -> list[Step]:
    """Each tool run on a target, weighted by the MiB it writes."""
    mib = {
        "bonnie": bonnie.needed_bytes(p.bonnie, hostinfo.memory_bytes()) / 2**20,
        "fio": p.fio.size_mib * 2.0 + p.fio.byte_kib / 1024,
    }
    return [Step(t, rep, mib[t]) for rep in rep_names(p.reps, p.warmup) for t in p.tools]


def run_disk(p: DiskParams, root: Path | None = None, say: Say = print) -> Run:
    """Measure every target; returns the run (its manifest says what failed and why)."""
    resolved = checked(p.targets, p.share_model, p.profile)  # refusals before a run dir
    recorded = {**as_dict(p), "targets": [str(t) for t in resolved.targets]}
    run = create_run("disk", recorded, root, tools=tool_versions(p.tools))
    with recording(run):
        say(f"run {run.run_id} → {run.path}")
        measure_each(
            run, resolved, needed_bytes(p), lambda t: measure_target(run, t, p, say), say, steps(p)
        )
    return run
