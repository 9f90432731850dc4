"""Qdrant in Docker as the post ran it: pinned image, storage bind-mounted or in a volume."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..cache import make_cold
from ..dockerhost import docker_client, free_port, loopback_ports, remove_quietly
from .backends import IMAGE, STORAGE_IN_CONTAINER, ClientBackend, wait_ready
from .logs import startup_summary

ALTERNATIVE = "use --backend edge"


def container_spec(
    name: str,
    storage: Path | None,
    volume: str | None,
    http_port: int,
    grpc_port: int,
    image: str = IMAGE,
    run_id: str = "",
) -> dict[str, Any]:
    """Keyword arguments for `containers.run`: loopback ports, one storage mount, a label."""
    if (storage is None) == (volume is None):
        raise ValueError("give exactly one of storage (bind mount) or volume (named volume)")
    source = str(storage) if storage is not None else volume
    return {
        "image": image,
        "name": name,
        "detach": True,
        "ports": loopback_ports({"6333/tcp": http_port, "6334/tcp": grpc_port}),
        "volumes": {source: {"bind": STORAGE_IN_CONTAINER, "mode": "rw"}},
        "labels": {"wsl-lab.run": run_id, "wsl-lab.experiment": "qdrant"},
        "environment": {"QDRANT__TELEMETRY_DISABLED": "true"},
    }


class QdrantContainer:
    """A container we start, restart cold and always remove (with its volume if we made it)."""

    def __init__(
        self,
        name: str,
        storage: Path | None,
        named_volume: bool,
        image: str,
        run_id: str,
        ready_timeout: float = 600,
    ) -> None:
        self.client = docker_client(ALTERNATIVE)
        self.name = name
        self.volume_name = f"{name}-storage" if named_volume else None
        self.storage = None if named_volume else storage
        self.image = image
        self.run_id = run_id
        self.http_port, self.grpc_port = free_port(), free_port()
        self.ready_timeout = ready_timeout
        self.container: Any = None
        self.volume: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> None:
        if self.volume_name:
            self.volume = self.client.volumes.create(
                self.volume_name, labels={"wsl-lab.run": self.run_id}
            )
        spec = container_spec(
            self.name,
            self.storage,
            self.volume_name,
            self.http_port,
            self.grpc_port,
            self.image,
            self.run_id,
        )
        self.container = self.client.containers.run(**spec)
        wait_ready(self.url, self.ready_timeout)

    def restart_cold(self, cache_paths: list[Path]) -> dict[str, Any]:
        """Stop, drop caches, start; cold start read from the log and by polling /readyz."""
        self.container.stop(timeout=30)
        cold = make_cold(cache_paths)
        since = time.time()
        self.container.start()
        ready_s, polls = wait_ready(self.url, self.ready_timeout)
        log = self.container.logs(since=int(since) - 1, timestamps=False).decode(errors="replace")
        return {
            **cold,
            "ready_poll_s": ready_s,
            "polls": polls,
            "log": log,
            "log_summary": startup_summary(log, "<container log>"),
        }

    def remove(self) -> None:
        if self.container is not None:
            remove_quietly(self.container)
            self.container = None
        if self.volume is not None:
            with contextlib.suppress(Exception):
                self.volume.remove(force=True)
            self.volume = None


@contextlib.contextmanager
def qdrant_container(
    name: str, storage: Path | None, named_volume: bool, image: str, run_id: str
) -> Iterator[tuple[QdrantContainer, ClientBackend]]:
    box = QdrantContainer(name, storage, named_volume, image, run_id)
    try:
        box.start()
        backend = ClientBackend(box.url)
        backend.name = "docker"
        yield box, backend
    finally:
        box.remove()
