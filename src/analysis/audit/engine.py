"""The Docker engine's containers and volumes, read only: where each mount's files live.

An engine that shares this machine's mount table (a local dockerd) has its mounts looked up
there. One that does not (Docker Desktop, whose engine runs in its own VM; a `tcp://` host)
has its sources classified by their known forms (`/run/desktop/mnt/host/c/…`, `C:\\…`,
`/host_mnt/…`), and each row says so. Nothing here creates, changes or removes anything.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import docker

from ..places.classify import (
    CROSS_OS,
    NATIVE,
    NETWORK,
    NETWORK_FS,
    UNKNOWN,
    Classified,
    windows_path,
)

DEFAULT_HOST = "unix:///var/run/docker.sock"
TIMEOUT_S = 10
_DESKTOP_DRIVE = re.compile(r"^/(?:run/desktop/)?mnt/host/(?P<drive>[a-z])(?P<rest>/.*)?$")
_WINDOWS = re.compile(r"^(?P<drive>[A-Za-z]):[\\/](?P<rest>.*)$")


@dataclass
class Engine:
    """A reachable engine: its client, where it is, and whether it shares our mount table."""

    client: Any
    host: str
    local: bool
    why_by_form: str  # why its mounts are classified by form ("" when local)
    root_dir: str | None  # DockerRootDir, where its volumes live


def engine_host() -> str:
    return os.environ.get("DOCKER_HOST") or DEFAULT_HOST


def _reason(exc: BaseException) -> str:
    """The cause a person can act on: the socket's OS error, else the first line."""
    seen: BaseException | None = exc
    while seen is not None:
        for arg in (seen, *getattr(seen, "args", ())):
            if isinstance(arg, OSError) and arg.strerror:
                return arg.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


def connect() -> tuple[Engine | None, str | None]:
    """The engine DOCKER_HOST names (or the default socket), or the one line saying why not."""
    host = engine_host()
    try:
        client = docker.DockerClient(base_url=host, timeout=TIMEOUT_S)
        info = client.info()
    except Exception as exc:  # the SDK raises requests', urllib3's and its own errors alike
        return None, f"Docker: no engine at {host} ({_reason(exc)})"
    os_name = str(info.get("OperatingSystem") or "")
    why = ""
    if not host.startswith(("unix://", "http+unix://", "npipe://")):
        why = f"the engine at {host} is on another machine"
    elif "docker desktop" in os_name.lower():
        why = "Docker Desktop's engine runs in its own VM"
    return Engine(client, host, not why, why, info.get("DockerRootDir")), None


def by_form(source: str) -> Classified:
    """A source path as an engine outside our mount table names it, classified by its form."""
    note = "classified by its form, not by a mount table"
    m = _DESKTOP_DRIVE.match(source)
    if m:
        where = windows_path(m["drive"], (m["rest"] or "").split("/"))
        return Classified(CROSS_OS, "docker-desktop-host", None, where, note=note)
    m = _WINDOWS.match(source)
    if m:
        where = windows_path(m["drive"], re.split(r"[\\/]", m["rest"]))
        return Classified(CROSS_OS, "docker-desktop-host", None, where, note=note)
    if source.startswith("/host_mnt/"):
        return Classified(CROSS_OS, "docker-desktop-host", None, None, "macOS host", note=note)
    if source.startswith("/var/lib/docker/"):
        return Classified(NATIVE, "engine-vm-disk", None, note=note + ": the engine's own disk")
    return Classified(UNKNOWN, "engine-host", None, note="on the engine's host, not in this table")


def volume_options(options: dict[str, str] | None) -> tuple[str | None, Classified | None]:
    """A local-driver volume that mounts something else: `type=nfs` (a network share), or
    `o=bind,device=PATH` (PATH's place). Returns (device path to look up, or a class)."""
    options = options or {}
    fstype = (options.get("type") or "").lower()
    if fstype in NETWORK_FS:
        note = f"volume options: type={fstype}, device={options.get('device', '?')}"
        return None, Classified(NETWORK, NETWORK_FS[fstype], fstype, note=note)
    if "bind" in (options.get("o") or "").split(",") and options.get("device"):
        return options["device"], None
    return None, None


def container_mounts(engine: Engine) -> list[dict[str, Any]]:
    """Every container's mounts, running or stopped: what, where from, and for whom."""
    out = []
    for c in engine.client.containers.list(all=True):
        config = c.attrs.get("Config", {})
        labels = config.get("Labels") or {}
        image = config.get("Image") or ""
        command = " ".join([*(config.get("Entrypoint") or []), *(config.get("Cmd") or [])])
        for m in c.attrs.get("Mounts") or []:
            out.append(
                {
                    "container": c.name,
                    "status": c.status,
                    "image": image,
                    "command": command,
                    "compose_project": labels.get("com.docker.compose.project"),
                    "type": m.get("Type"),
                    "volume": m.get("Name"),
                    "source": m.get("Source") or "",
                    "destination": m.get("Destination"),
                    "ollama_models": "ollama" in image.lower()
                    and (m.get("Destination") or "").startswith("/root/.ollama"),
                }
            )
    return out


def volumes(engine: Engine) -> dict[str, dict[str, Any]]:
    """Every volume by name: its mountpoint and driver options."""
    out = {}
    for v in engine.client.volumes.list():
        out[v.name] = {
            "mountpoint": v.attrs.get("Mountpoint"),
            "driver": v.attrs.get("Driver"),
            "options": v.attrs.get("Options") or {},
        }
    return out
