"""Where an experiment measures, target after target: the one context every experiment uses.

`checked` refuses bad targets and share models before a run directory exists; `measure_each`
goes through the targets, recording a failed one and going on; `placed` mounts a target's
simulated share when it has one, records where the run measures, and gives a scratch
directory of ours inside it (removed afterwards, also on Ctrl-C) and the same directory
seen from the other side.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ExperimentError
from .models import ShareModel, load_model
from .share import placement, share_facts
from .targets import Target, check_target, parse_targets, ready_targets, scratch_dir, target_facts


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


def checked(specs: tuple | list, share_model: str) -> list[Target]:
    """The targets of a run, with every refusal made before a run directory exists:
    dangerous or malformed targets, and a share model that cannot be read."""
    targets = parse_targets(list(specs) or None)
    ready_targets(targets)
    share_model_of(share_model, targets)
    return targets


@contextlib.contextmanager
def placed(run: Any, target: Target, share_model: str) -> Iterator[Place]:
    """Mount the target's share when it has one, record where the run measures, and make
    our scratch directory there; everything undone after the block, also on Ctrl-C."""
    model = share_model_of(share_model, [target])
    with placement(target, run.run_id, model) as where:
        facts = target_facts(target, where)
        if model is not None:
            facts.update(share_facts(model, where))
        run.set_target(target.label, status="running", **facts)
        with scratch_dir(where, run.run_id, target.label) as scratch:
            behind = target.path / scratch.name if target.fuse else scratch
            yield Place(scratch, behind)


def measure_each(
    run: Any,
    targets: list[Target],
    need_bytes: int,
    measure: Callable[[Target], None],
    say: Callable[[str], None],
) -> None:
    """Measure target after target: one that fails is recorded with why, the rest go on."""
    for target in targets:
        try:
            check_target(target, need_bytes)
            measure(target)
        except KeyboardInterrupt:
            run.set_target(target.label, status="interrupted")
            raise
        except ExperimentError as exc:
            run.set_target(target.label, status="failed", error=str(exc), spec=str(target))
            say(f"  {target.label}: failed: {exc}")
