"""Where an experiment measures, target after target: the one context every experiment uses.

`checked` refuses bad targets and share models before a run directory exists; `measure_each`
goes through the targets, recording a failed one and going on; `placed` mounts a target's
simulated share when it has one, records where the run measures, and gives a scratch
directory of ours inside it (removed afterwards, also on Ctrl-C) and the same directory
seen from the other side.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ExperimentError, TargetError
from ..progress import Progress, Step, tracking
from ..share.models import ShareModel, load_model
from ..share.mount import placement, share_facts
from ..targets.defaults import Resolved, chosen
from ..targets.scratch import cleanup_scratch, make_scratch
from ..targets.target import (
    NoRoomError,
    Target,
    check_target,
    ready_targets,
    target_facts,
)
from .reclaim import reclaim


@dataclass(frozen=True)
class Place:
    """One target, ready to measure in."""

    scratch: Path  # our own directory inside the target or its share's mount, removed after
    behind: Path  # the same directory from the other side (the share's backing directory)


def share_model_of(name: str, targets: list[Target]) -> ShareModel | None:
    """The run's share model, checked (None: no target is a simulated share)."""
    if not any(t.fuse for t in targets):
        return None
    return load_model(name or None)


def checked(specs: tuple | list, share_model: str, profile: str = "") -> Resolved:
    """The targets of a run, with every refusal made before a run directory exists:
    dangerous or malformed targets, and a share model that cannot be read."""
    resolved = chosen(specs, profile)
    ready_targets(resolved.targets)
    share_model_of(share_model, resolved.targets)
    return resolved


@contextlib.contextmanager
def placed(run: Any, target: Target, share_model: str) -> Iterator[Place]:
    """Mount the target's share when it has one, record where the run measures, and make
    our scratch directory there; everything undone after the block, also on Ctrl-C."""
    model = share_model_of(share_model, [target])
    served: dict[str, Any] = {}
    try:
        with placement(target, run.run_id, model, served) as where:
            facts = target_facts(target, where)
            if model is not None:
                facts.update(share_facts(model, where))
            run.set_target(target.label, status="running", **facts)
            scratch = make_scratch(where, run.run_id, target.label)
            behind = target.path / scratch.name if target.fuse else scratch
            try:
                yield Place(scratch, behind)
            finally:
                _remove(scratch, behind)
    finally:
        if served:  # per kind of request: served, and over the model's time
            run.set_target(target.label, share_served=served)


def _remove(scratch: Path, behind: Path) -> None:
    """Our scratch, through the share; from behind it when the share died under the run."""
    try:
        cleanup_scratch(scratch)
    except OSError as exc:
        if behind == scratch and sys.exc_info()[1] is None:
            raise TargetError(f"cannot remove {scratch}: {exc.strerror}") from None
    if behind != scratch and behind.exists():
        cleanup_scratch(behind)


def _refused(run: Any, target: Target, exc: ExperimentError, say: Callable[[str], None]) -> None:
    """A target refused before it is measured: recorded failed with why (and, without room,
    with both sizes and where it is)."""
    facts: dict[str, Any] = {"status": "failed", "error": str(exc), "spec": str(target)}
    if isinstance(exc, NoRoomError):
        facts.update(target_facts(target, target.path))
        facts.update(need_bytes=exc.need_bytes, free_bytes=exc.free_bytes)
    run.set_target(target.label, **facts)
    say(f"  {target.label}: failed: {exc}")


def measure_each(
    run: Any,
    resolved: Resolved,
    need_bytes: int,
    measure: Callable[[Target], None],
    say: Callable[[str], None],
    steps: list[Step] | None = None,
) -> None:
    """Measure target after target: one that fails is recorded with why, the rest go on.
    Before anything is written, every target is checked for room for what it will hold;
    the steps (the same on every target) are what progress lines count and estimate by."""
    run.manifest["places"] = {
        "why": resolved.why,
        "wsl": resolved.wsl,
        "left_out": resolved.left_out,
    }
    # what dead runs left in these targets first: their space counts for the room check
    reclaim([t.path for t in resolved.targets], say, root=run.path.parent.parent)
    for label, why in resolved.left_out.items():
        say(f"  {label}: not measured: {why}")
    ready = []
    for target in resolved.targets:
        try:
            check_target(target, need_bytes)
            ready.append(target)
        except ExperimentError as exc:
            _refused(run, target, exc, say)
    progress = Progress(run.manifest["experiment"], {t.label: steps or [] for t in ready}, say)
    with tracking(progress):
        for target in ready:
            try:
                check_target(target, need_bytes)  # again: the targets before it have written
                measure(target)
            except KeyboardInterrupt:
                run.set_target(target.label, status="interrupted")
                raise
            except ExperimentError as exc:
                progress.dropped.add(target.label)
                if isinstance(exc, NoRoomError):
                    _refused(run, target, exc, say)
                    continue
                run.set_target(target.label, status="failed", error=str(exc), spec=str(target))
                say(f"  {target.label}: failed: {exc}")
