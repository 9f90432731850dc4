"""Host facts for manifests; nothing from the environment but an allow-list (where a path
lives: places.mounts)."""

from __future__ import annotations

import os
import platform
import socket
from pathlib import Path
from typing import Any

# Environment variables that may appear in a manifest or a post; nothing else ever does.
ENV_ALLOW_LIST = ("WSL_DISTRO_NAME",)


def hostname() -> str:
    """This host's short name, as manifests record it and runs are matched by."""
    return socket.gethostname().split(".")[0]


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
        "hostname": hostname(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "memory_bytes": memory_bytes(),
        "kernel": platform.release(),
        "distribution": distribution(),
        "python": platform.python_version(),
        **wsl_facts(),
        "env": env,
    }
