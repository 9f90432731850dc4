"""Ollama in Docker with every GPU, beside Qdrant's container (qdrant/docker.py)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from docker.types import DeviceRequest

from ..dockerhost import docker_client, free_port, loopback_ports, remove_quietly
from ..errors import PreconditionError
from .engines import OLLAMA_IMAGE


def ollama_container_spec(
    name: str,
    models: Path | None,
    volume: str | None,
    port: int,
    image: str = OLLAMA_IMAGE,
    run_id: str = "",
) -> dict[str, Any]:
    """`containers.run` arguments: every GPU (what --gpus=all does), loopback port, one mount."""
    if (models is None) == (volume is None):
        raise ValueError("give exactly one of models (bind mount) or volume (named volume)")
    return {
        "image": image,
        "name": name,
        "detach": True,
        "device_requests": [DeviceRequest(count=-1, capabilities=[["gpu"]])],
        "ports": loopback_ports({"11434/tcp": port}),
        "volumes": {
            str(models) if models is not None else volume: {"bind": "/root/.ollama", "mode": "rw"}
        },
        "labels": {"wsl-lab.run": run_id, "wsl-lab.experiment": "llm"},
    }


@contextlib.contextmanager
def ollama_container(
    name: str,
    models: Path | None,
    volume: str | None,
    image: str,
    run_id: str,
    timeout: float = 300,
) -> Iterator[str]:
    """Start ollama/ollama with the GPUs; yields its URL; always removed."""
    client = docker_client("use --engine llamacpp")
    port = free_port()
    container = client.containers.run(
        **ollama_container_spec(name, models, volume, port, image, run_id)
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.perf_counter() + timeout

        while True:
            try:
                if httpx.get(f"{url}/api/version", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() > deadline:
                raise PreconditionError(f"Ollama container not ready after {timeout:.0f} s")
            time.sleep(0.05)
        yield url
    finally:
        remove_quietly(container)
