"""A memory cgroup that caps a tool's page cache, so that Bonnie++'s -r (the RAM it is told)
is true: otherwise its files, smaller than the real RAM, are measured in the page cache."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .interrupts import signals_deferred

V1 = Path("/sys/fs/cgroup/memory")  # the v1 memory controller (this project's dev machines)
V2 = Path("/sys/fs/cgroup")  # the unified hierarchy
# The cgroup also charges the tool's own memory and the kernel's records of the files it makes
# (Bonnie++ at -n 1: about 3.3 MiB resident, the most of it its mapped binary and libraries).
# A cap of -r alone left it killed by the kernel's OOM killer at -r 2 in 5 runs of 10.
HEADROOM_BYTES = 8 * 2**20


def _create(name: str, limit_bytes: int) -> tuple[Path, str]:
    if (V1 / "memory.limit_in_bytes").exists():
        path, knob, method = V1 / name, "memory.limit_in_bytes", "cgroup v1"
    elif "memory" in (V2 / "cgroup.controllers").read_text().split():
        path, knob, method = V2 / name, "memory.max", "cgroup v2"
    else:
        raise OSError(0, "no memory controller in /sys/fs/cgroup")
    path.mkdir()
    try:
        (path / knob).write_text(str(limit_bytes))
    except OSError:
        path.rmdir()
        raise
    return path, method


def _remove(path: Path) -> None:
    for _ in range(50):  # the tool has exited; the kernel may take a moment to let go
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.1)


def oom_kills(facts: dict[str, Any]) -> int:
    """How many processes the kernel's OOM killer ended in the cap `facts` describes (0 where
    there is no cap, or the kernel does not count them)."""
    if not facts.get("cgroup"):
        return 0
    path = Path(facts["cgroup"])
    source = path / ("memory.oom_control" if facts["method"] == "cgroup v1" else "memory.events")
    try:
        lines = source.read_text().splitlines()
    except OSError:
        return 0
    counts = dict(ln.split(maxsplit=1) for ln in lines if " " in ln)
    return int(counts.get("oom_kill", 0))


@contextlib.contextmanager
def page_cache_cap(name: str, cache_bytes: int) -> Iterator[tuple[list[str], dict[str, Any]]]:
    """(command prefix, facts): `prefix + cmd` runs cmd inside a cgroup that lets it keep about
    cache_bytes of page cache (its limit is cache_bytes + HEADROOM_BYTES).

    Where none can be made (no controller, not root), the prefix is empty and the facts say
    that the page cache was not excluded, and why."""
    limit_bytes = cache_bytes + HEADROOM_BYTES
    try:
        path, method = _create(f"wsl-lab-{name}-{os.getpid()}", limit_bytes)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        yield [], {"method": "none", "limit_bytes": None, "reason": reason}
        return
    try:
        # the shell joins the cgroup, then becomes the tool: nothing runs outside the cap
        prefix = ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(path)]
        yield (
            prefix,
            {
                "method": method,
                "limit_bytes": limit_bytes,
                "headroom_bytes": HEADROOM_BYTES,
                "cgroup": str(path),
            },
        )
    finally:
        with signals_deferred():
            _remove(path)
