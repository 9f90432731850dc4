"""Host and filesystem facts for manifests; nothing from the environment but an allow-list."""

from __future__ import annotations

import os
import platform
import shutil
import socket
from pathlib import Path
from typing import Any

# Environment variables that may appear in a manifest or a post; nothing else ever does.
ENV_ALLOW_LIST = ("WSL_DISTRO_NAME",)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def cpu_model() -> str | None:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or None


def memory_bytes() -> int | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return None


def distribution() -> str | None:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip().strip('"')
    return None


def wsl_facts() -> dict[str, Any]:
    """WSL or not, and which version: WSL2 kernels say 'microsoft-standard-WSL2'."""
    release = platform.release()
    version = _read("/proc/version")
    is_wsl = "microsoft" in (release + version).lower()
    wsl_version = None
    if is_wsl:
        wsl_version = 2 if ("wsl2" in release.lower() or Path("/run/WSL").exists()) else 1
    return {"is_wsl": is_wsl, "wsl_version": wsl_version}


def host_facts() -> dict[str, Any]:
    env = {k: os.environ[k] for k in ENV_ALLOW_LIST if k in os.environ}
    return {
        "hostname": socket.gethostname().split(".")[0],
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "memory_bytes": memory_bytes(),
        "kernel": platform.release(),
        "distribution": distribution(),
        "python": platform.python_version(),
        **wsl_facts(),
        "env": env,
    }


def _unescape(field: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal.
    for code, ch in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, ch)
    return field


def mounts() -> list[dict[str, str]]:
    """Entries of /proc/self/mountinfo: mount point, fstype, source, options."""
    rows = []
    for line in _read("/proc/self/mountinfo").splitlines():
        left, _, right = line.partition(" - ")
        lf, rf = left.split(), right.split()
        if len(lf) < 6 or len(rf) < 2:
            continue
        rows.append(
            {
                "mount_point": _unescape(lf[4]),
                "options": ",".join(filter(None, [lf[5], rf[2] if len(rf) > 2 else ""])),
                "fstype": rf[0],
                "source": _unescape(rf[1]),
            }
        )
    return rows


def mount_of(path: Path) -> dict[str, str] | None:
    """The mount that holds path (longest mount-point prefix of its real path)."""
    real = str(Path(path).resolve())
    best = None
    for m in mounts():
        mp = m["mount_point"]
        if (real == mp or real.startswith(mp.rstrip("/") + "/")) and (
            best is None or len(mp) >= len(best["mount_point"])
        ):
            best = m
    return best


def is_mount_point(path: Path) -> bool:
    real = str(Path(path).resolve())
    return any(m["mount_point"] == real for m in mounts())


def filesystem_facts(path: Path) -> dict[str, Any]:
    m = mount_of(path) or {}
    try:
        usage = shutil.disk_usage(path)
        free, total = usage.free, usage.total
    except OSError:
        free = total = None
    return {
        "path": str(path),
        "real_path": str(Path(path).resolve()),
        "fstype": m.get("fstype"),
        "mount_point": m.get("mount_point"),
        "mount_source": m.get("source"),
        "mount_options": m.get("options"),
        "free_bytes": free,
        "total_bytes": total,
    }
