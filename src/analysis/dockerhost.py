"""The Docker engine, through the docker SDK: reachable or one clear line."""

from __future__ import annotations

import contextlib
import os
import socket
from typing import Any

import docker

from .errors import PreconditionError


def docker_client(alternative: str) -> Any:
    """A pinged client; without an engine one line: 'Docker engine not reachable (…): …'."""
    endpoint = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    try:
        client = docker.from_env(timeout=10)
        client.ping()
    except docker.errors.DockerException as exc:
        text = str(exc)
        if "FileNotFoundError" in text or "No such file" in text:
            why = f"no engine socket at {endpoint}"
        elif "PermissionError" in text or "Permission denied" in text:
            why = f"permission denied on {endpoint}: add yourself to the docker group"
        else:
            why = f"{endpoint}: {text.split(': ', 1)[-1][:80]}"
        raise PreconditionError(
            f"Docker engine not reachable ({why}): start Docker, or {alternative}"
        ) from None
    return client


def loopback_ports(mapping: dict[str, int]) -> dict[str, tuple[str, int]]:
    """Publish container ports on 127.0.0.1 only, never on every interface."""
    return {port: ("127.0.0.1", host_port) for port, host_port in mapping.items()}


def remove_quietly(container: Any) -> None:
    with contextlib.suppress(docker.errors.NotFound):
        container.remove(force=True, v=False)


def free_port() -> int:
    """A free TCP port on the loopback interface, for a container's published port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
