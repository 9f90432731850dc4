"""Running the dev-loop experiment: a Jekyll site per placement, built, watched and edited
from both sides, and git on the same files."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..cache import make_cold
from ..commands import tool_version
from ..errors import ExperimentError
from ..faults import checkpoint
from ..params import as_dict
from ..progress import Step, step
from ..runner.place import checked, measure_each, placed
from ..runs import Run, create_run, recording
from ..targets.target import Target
from . import site, tools
from .params import DevloopParams

Say = Callable[[str], None]


def _builds(run: Run, label: str, src: Path, p: DevloopParams, say: Say) -> list[float]:
    times = []
    for rep in range(1, p.reps + 1):
        checkpoint("tool")
        with step(label, "full build", f"r{rep}"):
            s = tools.full_build(
                src, src.parent / "_site", run.file(label, f"build-r{rep}.log"), p.build_timeout_s
            )
        times.append(round(s, 3))
        say(f"  {label}: full build r{rep}: {s:.2f} s")
    return times


def _edits(
    run: Run, target: Target, src: Path, behind: Path, p: DevloopParams, say: Say
) -> list[dict[str, Any]]:
    """One edit per watch mode and side; each records whether it arrived and how fast."""
    how, other_write, note = tools.other_side(target.path, target.fuse)
    edits = []
    for mode in p.watch:
        log = run.file(target.label, f"watch-{mode}.log")
        progress = step(target.label, f"watch ({mode}) and edits", "r1")
        # the built site beside the source, not inside it: a watcher then scans only the
        # source (jekyll ignores _site, but a polling watcher still walks it, slowly on a share)
        with progress, tools.watching(src, src.parent / "_site", mode, log, p.build_timeout_s):
            # discarded warm-up edits until the watcher notices one: from then on it watches
            warm = tools.warm_up(
                site.post_path(src, 0), log, p.build_timeout_s, p.change_timeout_s / 2, p.poll_s
            )
            say(f"  {target.label}: {mode} watcher live after {warm:.1f} s")
            for k, side in enumerate(p.sides):
                i = (len(edits) * 7 + 3) % p.posts or 1  # a different post each time
                post = site.post_path(src if side == "placement" else behind, i)
                token = f"wsl-lab-edit-{mode}-{side}-{k}"
                seen = tools.edit_and_wait(
                    post,
                    site.page_path(src.parent / "_site", i),
                    token,
                    log,
                    (p.change_timeout_s, p.build_timeout_s),
                    p.poll_s,
                    tools.append if side == "placement" else other_write,
                )
                entry = {
                    "side": side,
                    "watch": mode,
                    **seen,
                    "timeout_s": p.change_timeout_s,
                    "edited_via": "placement" if side == "placement" else how,
                }
                if side == "other":
                    entry["note"] = note
                edits.append(entry)
                shown = (
                    f"noticed after {seen['noticed_s']:.2f} s, page after {seen['rebuild_s']} s"
                    if seen["delivered"]
                    else f"not delivered within {p.change_timeout_s:g} s"
                )
                say(f"  {target.label}: {mode}, edit from {side}: {shown}")
    return edits


def _git(src: Path, behind: Path | None, p: DevloopParams, say: Say, label: str) -> dict:
    """git status cold (cache dropped and checked) and warm, then git add -A."""
    with step(label, "git", "r1"):
        return _git_times(src, behind, p, say, label)


def _git_times(src: Path, behind: Path | None, p: DevloopParams, say: Say, label: str) -> dict:
    tools.git(src, "init", "-q")
    tools.git(src, "add", "-A")
    tools.git(src, "commit", "-qm", "the generated site")
    site.generate(src, max(1, p.posts // 10), 0, p.code_blocks, p.words, p.seed + 1)  # changes
    cold = make_cold([src], [behind] if behind else None)
    facts = {"status_cold_s": round(tools.git(src, "status", "--porcelain"), 3), **cold}
    facts["status_warm_s"] = round(tools.git(src, "status", "--porcelain"), 3)
    facts["add_s"] = round(tools.git(src, "add", "-A"), 3)
    say(
        f"  {label}: git status cold {facts['status_cold_s']:.2f} s, warm "
        f"{facts['status_warm_s']:.2f} s, add -A {facts['add_s']:.2f} s"
    )
    return facts


def measure_target(run: Run, target: Target, p: DevloopParams, say: Say) -> None:
    with placed(run, target, p.share_model) as place:
        checkpoint("setup")
        src = place.scratch / "site"
        size = site.generate(src, p.posts, p.images_per_post, p.code_blocks, p.words, p.seed)
        builds = _builds(run, target.label, src, p, say)
        facts: dict[str, Any] = {
            "site": size,
            "builds_s": builds,
            "build_s": statistics.median(builds),
        }
        run.set_target(target.label, **facts)
        facts["edits"] = _edits(run, target, src, place.behind / "site", p, say)
        run.set_target(target.label, edits=facts["edits"])
        if p.git:
            git_behind = place.behind / "site" if target.fuse else None
            facts["git"] = _git(src, git_behind, p, say, target.label)
            run.set_target(target.label, git=facts["git"])
    run.set_target(target.label, status="complete")


def needed_bytes(p: DevloopParams) -> int:
    """Free space a placement needs: the site's sources, the built site, git's objects."""
    return (p.posts * (p.words * 8 + p.images_per_post * 20_000) + 10**6) * 3


def steps(p: DevloopParams) -> list[Step]:
    """Full builds, a watcher per mode with its edits, then git: weighted by the posts."""
    return (
        [Step("full build", f"r{r}", p.posts) for r in range(1, p.reps + 1)]
        + [Step(f"watch ({mode}) and edits", "r1", p.posts) for mode in p.watch]
        + ([Step("git", "r1", p.posts)] if p.git else [])
    )


def run_devloop(p: DevloopParams, root: Path | None = None, say: Say = print) -> Run:
    """Build, watch and edit a generated site on every placement; the run's manifest says
    per placement and edit side whether the change arrived."""
    resolved = checked(p.targets, p.share_model, p.profile)  # refusals before a run dir
    versions = {
        "jekyll": tool_version(["jekyll", "--version"]),
        "git": tool_version(["git", "--version"]),
    }
    if not versions["jekyll"]:
        raise ExperimentError("jekyll not found: apt-get install jekyll (or make setup)")
    recorded = {**as_dict(p), "targets": [str(t) for t in resolved.targets]}
    run = create_run("devloop", recorded, root, tools=versions)
    with recording(run):
        say(f"run {run.run_id} → {run.path}")
        measure_each(
            run, resolved, needed_bytes(p), lambda t: measure_target(run, t, p, say), say, steps(p)
        )
    return run
