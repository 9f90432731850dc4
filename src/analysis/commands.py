"""Running external tools: own process group, output kept verbatim, killed on any exit."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from .errors import PreconditionError, TargetError, ToolError
from .faults import checkpoint

# What a tool waits on, asked twice a second while it runs: each returns why the place it
# works in died (our share layer exited, its mount stopped answering), or None. A tool on a
# dead FUSE mount can spin until its timeout; this ends it within a second instead.
# (`watching` adds one for a block; a context variable, so nothing module-wide is mutated)
_WATCHES: ContextVar[tuple[Callable[[], str | None], ...]] = ContextVar("watches", default=())
WATCH_S = 0.5


@contextlib.contextmanager
def watching(watch: Callable[[], str | None]) -> Iterator[None]:
    """Within the block, every tool run is ended if `watch` says its place died."""
    token = _WATCHES.set((*_WATCHES.get(), watch))
    try:
        yield
    finally:
        _WATCHES.reset(token)


class PlaceDied(TargetError):
    """The place a tool worked in died under it (our share layer): the target fails."""


INSTALL_HINT = {
    "bonnie++": "apt-get install bonnie++",
    "fio": "apt-get install fio",
    "bindfs": "apt-get install bindfs fuse3",
    "fusermount3": "apt-get install fuse3",
}


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        hint = INSTALL_HINT.get(name, f"install {name}")
        raise PreconditionError(
            f"{name} not found on PATH: install it ({hint}) or run `make setup`"
        )
    return path


def tool_version(cmd: list[str], marker: str = "") -> str | None:
    """First line of a tool's version output that contains marker (None when it won't run)."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in (out.stdout + "\n" + out.stderr).splitlines():
        if marker in line and line.strip():
            return line.split(marker, 1)[1].strip() if marker else line.strip()
    return None


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wait(proc: subprocess.Popen, timeout: float | None) -> int:
    """proc's exit status; TimeoutExpired after timeout; PlaceDied as soon as a watch says."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        step = WATCH_S if deadline is None else min(WATCH_S, max(0.0, deadline - time.monotonic()))
        try:
            return proc.wait(timeout=step)
        except subprocess.TimeoutExpired:
            if deadline is not None and time.monotonic() >= deadline:
                raise
        for watch in _WATCHES.get():
            why = watch()
            if why:
                raise PlaceDied(why)


def run_tool(
    cmd: list[str],
    stdout: Path,
    stderr: Path,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> int:
    """Run cmd, its output straight into files; non-zero exit or timeout raise ToolError."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
        )
        try:
            checkpoint("tool")
            code = _wait(proc, timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ToolError(f"{Path(cmd[0]).name} did not finish within {timeout:.0f} s") from None
        finally:
            if proc.poll() is None:  # Ctrl-C or another error while waiting
                _kill_group(proc)
    if code != 0:
        tail = stderr.read_text(errors="replace").strip().splitlines()[-3:]
        why = " / ".join(tail) or f"exit status {code}"
        raise ToolError(f"{Path(cmd[0]).name} failed (exit {code}): {why}")
    return code
