"""Progress of a run as it goes: experiment, target, tool, repetition k of n, time elapsed and
an estimate of the time left.

An experiment declares its steps per target from the profile (`Step`: a tool, a repetition and
a weight, the MiB or records it moves); `measure_each` makes a `Progress` of them for all
targets, and each experiment marks where a step starts with `step(target, tool, rep)`. The
estimate is what has been measured so far: a step not yet seen on its target takes the time
the same tool took there per unit of weight; a tool not yet seen on a target, the slowest
rate it showed on another ("at least", since a share is slower than native); nothing measured
yet, no estimate.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Say = Callable[[str], None]


@dataclass(frozen=True)
class Step:
    tool: str
    rep: str  # r1, r2, … measured; w1, … warm-up
    weight: float = 1.0  # what it moves (MiB, records): steps of one tool scale by it


def duration(seconds: float) -> str:
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


@dataclass
class Progress:
    experiment: str
    plan: dict[str, list[Step]]  # target label -> its steps, in order
    say: Say
    started: float = field(default_factory=time.monotonic)
    took: dict[tuple[str, int], float] = field(default_factory=dict)  # (target, index) -> s
    dropped: set[str] = field(default_factory=set)  # targets that failed: no steps left
    heartbeat_s: float = 60.0  # a long step says it is still going this often

    def _index(self, target: str, tool: str, rep: str) -> int | None:
        for i, s in enumerate(self.plan.get(target, [])):
            if s.tool == tool and s.rep == rep and (target, i) not in self.took:
                return i
        return None

    def _rate(self, target: str, tool: str) -> tuple[float | None, bool]:
        """Seconds per unit of weight for tool on target; and whether it is only a bound."""

        def rates(on: Callable[[str], bool]) -> list[float]:
            return [
                t / max(self.plan[lb][i].weight, 1e-9)
                for (lb, i), t in self.took.items()
                if on(lb) and self.plan[lb][i].tool == tool
            ]

        here = rates(lambda lb: lb == target)
        if here:
            return sum(here) / len(here), False
        other = rates(lambda lb: lb != target)
        return (max(other), True) if other else (None, True)

    def left_s(
        self, running: tuple[str, int | None, float] | None = None
    ) -> tuple[float | None, bool]:
        """Seconds left by what has been measured (None: nothing to go by yet), and whether
        that is only a lower bound; running: the step under way (target, index, seconds in),
        whose estimate counts down as it goes (and stays at 0 once it is overdue)."""
        total, bound = 0.0, False
        for target, steps in self.plan.items():
            if target in self.dropped:
                continue
            for i, s in enumerate(steps):
                if (target, i) in self.took:
                    continue
                rate, at_least = self._rate(target, s.tool)
                if rate is None:
                    return None, True
                est = rate * s.weight
                if running and running[:2] == (target, i):
                    est, at_least = max(0.0, est - running[2]), True
                total += est
                bound = bound or at_least
        return total, bound

    def line(self, target: str, tool: str, rep: str, running_s: float | None = None) -> str:
        """What a progress line says; running_s: seconds into this step (a heartbeat)."""
        steps = self.plan.get(target, [])
        same = [s for s in steps if s.tool == tool]
        k = next((j for j, s in enumerate(same, 1) if s.rep == rep), None)
        warm = sum(s.rep.startswith("w") for s in same)
        which = f"repetition {k} of {len(same)}" if k else rep
        if rep.startswith("w"):
            which += " (warm-up)"
        elif warm:
            which += f" ({warm} warm-up)"
        i = self._index(target, tool, rep)
        left, bound = self.left_s(None if running_s is None else (target, i, running_s))
        est = (
            "time left: known after the first step"
            if left is None
            else f"{'at least ' if bound else 'about '}{duration(left)} left"
        )
        elapsed = duration(time.monotonic() - self.started)
        if running_s is not None:
            which += f", still running after {duration(running_s)}"
        return f"{self.experiment}: {target} · {tool} · {which} · {elapsed} elapsed · {est}"

    @contextlib.contextmanager
    def step(self, target: str, tool: str, rep: str) -> Iterator[None]:
        i = self._index(target, tool, rep)
        self.say(self.line(target, tool, rep))
        t0 = time.monotonic()
        done = threading.Event()

        def beat() -> None:
            while not done.wait(self.heartbeat_s):
                self.say(self.line(target, tool, rep, time.monotonic() - t0))

        beating = threading.Thread(target=beat, name="progress", daemon=True)
        beating.start()
        try:
            yield
        finally:
            done.set()
            beating.join()
            if i is not None:
                self.took[(target, i)] = time.monotonic() - t0


_current: contextvars.ContextVar[Progress | None] = contextvars.ContextVar(
    "progress", default=None
)


@contextlib.contextmanager
def tracking(progress: Progress) -> Iterator[Progress]:
    """progress is the one `step` reports to during the block."""
    token = _current.set(progress)
    try:
        yield progress
    finally:
        _current.reset(token)


@contextlib.contextmanager
def step(target: str, tool: str, rep: str) -> Iterator[None]:
    """A step of the run being tracked starts (nothing is said when none is)."""
    progress = _current.get()
    if progress is None:
        yield
        return
    with progress.step(target, tool, rep):
        yield
