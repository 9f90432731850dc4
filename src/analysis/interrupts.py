"""Ctrl-C and SIGTERM: a run is stopped where it is, as on Ctrl-C, so that every `finally`
block unmounts and removes what it made; cleanup itself cannot be cut short."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised where the run is, so that `finally` blocks clean up as on Ctrl-C."""


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Cleanup that Ctrl-C or SIGTERM cannot cut short; a signal received meanwhile is
    raised as KeyboardInterrupt once the block is done."""
    received: list[int] = []

    def hold(signum: int, frame: object) -> None:
        received.append(signum)

    try:
        # a signal this process ignores (SIGINT in a `nohup … &` job) stays ignored
        watched = [
            s for s in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(s) != signal.SIG_IGN
        ]
        previous = {s: signal.signal(s, hold) for s in watched}
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


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """A short last write (a manifest's final status) that a second Ctrl-C cannot interrupt."""
    with contextlib.suppress(KeyboardInterrupt):
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
