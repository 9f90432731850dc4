"""Who runs a run, and whether that process still lives.

A run's manifest, its scratch markers and its mount points name their owner: host, boot id
(`/proc/sys/kernel/random/boot_id`), pid and the process's start time (field 22 of
`/proc/<pid>/stat`, in clock ticks since boot). The owner is gone when the machine has booted
since (another boot id: `wsl --shutdown`, a reboot), when the pid no longer exists (`kill -9`,
the OOM killer), or when the pid now belongs to another process (another start time). On
another host we cannot tell, and say so.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .hostinfo import hostname

BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
NEW = ".new"  # a marker being written


def boot_id() -> str | None:
    try:
        return BOOT_ID.read_text().strip() or None
    except OSError:
        return None


def stat_fields(pid: int) -> list[str] | None:
    """Fields 3 on of /proc/<pid>/stat (state first; None: no such process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces: split after it
    return stat[stat.rindex(")") + 2 :].split()


def start_ticks(pid: int) -> int | None:
    """When pid started, in clock ticks since boot (None: no such process)."""
    fields = stat_fields(pid)
    return int(fields[19]) if fields else None


def identity(pid: int | None = None) -> dict[str, Any]:
    """This process (or pid) as an owner record."""
    pid = pid or os.getpid()
    return {"host": hostname(), "boot_id": boot_id(), "pid": pid, "start_ticks": start_ticks(pid)}


def gone(owner: dict[str, Any] | None) -> str | None:
    """Why the owner's process is gone ('another boot', 'process N is gone', 'pid N was
    reused by another process'); None while it lives, or when it cannot be told (another
    host, or a record from before owners were kept)."""
    if not owner or owner.get("host") != hostname():
        return None
    if owner.get("boot_id") and boot_id() and owner["boot_id"] != boot_id():
        return f"the machine booted since (boot id {owner['boot_id'][:8]}… is not this boot's)"
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return None
    now = start_ticks(pid)
    if now is None:
        return f"its process {pid} is gone"
    if owner.get("start_ticks") is not None and now != owner["start_ticks"]:
        return f"its pid {pid} now belongs to another process"
    return None


def marker_text(run_id: str, label: str, owner: dict[str, Any]) -> str:
    """A scratch marker or mount owner file: the run, then one `key=value` per owner fact."""
    lines = [f"{run_id} {label}"] + [f"{k}={v}" for k, v in owner.items()]
    return "\n".join(lines) + "\n"


def write_marker(path: Path, text: str) -> None:
    """Write a marker whole or not at all (a temporary file renamed into place): a kill
    between creating it and writing it must not leave a marker that names no one."""
    tmp = path.with_name(path.name + NEW)
    tmp.write_text(text)
    os.replace(tmp, path)


def read_marker(path: Path) -> tuple[str, dict[str, Any]] | None:
    """The run id and owner a marker names (None: unreadable or from before owners)."""
    try:
        first, *rest = path.read_text().splitlines()
    except (OSError, ValueError):
        return None
    owner: dict[str, Any] = {}
    for line in rest:
        key, _, value = line.partition("=")
        if value == "None":
            owner[key] = None
        else:
            owner[key] = int(value) if key in ("pid", "start_ticks") and value.isdigit() else value
    if not {"host", "pid"} <= set(owner):
        return None
    return first.split(" ")[0], owner
