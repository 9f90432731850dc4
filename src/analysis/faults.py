"""Named checkpoints where the fault-injection tests pause a run to interrupt it there.

Set WSL_LAB_PAUSE_AT=<name> (and WSL_LAB_PAUSE_S, default 30) to make a run stop at that
checkpoint for a while, saying so on stderr; unset, a checkpoint does nothing.
Checkpoints: setup (placement ready, nothing measured), tool (a tool or engine is running),
cleanup (measurements done, scratch and mounts not yet removed).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator


def checkpoint(name: str) -> None:
    if os.environ.get("WSL_LAB_PAUSE_AT") == name:
        print(f"wsl-lab: paused at {name}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("WSL_LAB_PAUSE_S", "30")))


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Cleanup that Ctrl-C or SIGTERM cannot cut short; a signal received meanwhile is
    raised as KeyboardInterrupt once the block is done."""
    received: list[int] = []

    def hold(signum: int, frame: object) -> None:
        received.append(signum)

    try:
        previous = {s: signal.signal(s, hold) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals go to the main thread anyway
        yield
        return
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if received:
            raise KeyboardInterrupt(f"signal {received[0]} during cleanup")
