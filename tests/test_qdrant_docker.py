from pathlib import Path

import pytest

from analysis.errors import PreconditionError
from analysis.qdrant.docker import ALTERNATIVE, container_spec


def test_spec_binds_loopback_pins_image_and_mounts_storage():
    spec = container_spec("wsl-lab-q", Path("/data/q"), None, 16333, 16334, run_id="r1")
    assert spec["image"] == "qdrant/qdrant:v1.12.4"
    assert spec["ports"] == {"6333/tcp": ("127.0.0.1", 16333), "6334/tcp": ("127.0.0.1", 16334)}
    assert spec["volumes"] == {"/data/q": {"bind": "/qdrant/storage", "mode": "rw"}}
    assert spec["labels"]["wsl-lab.run"] == "r1"
    named = container_spec("q", None, "q-storage", 1, 2)
    assert named["volumes"] == {"q-storage": {"bind": "/qdrant/storage", "mode": "rw"}}
    with pytest.raises(ValueError):
        container_spec("q", Path("/x"), "v", 1, 2)


def _docker_reachable() -> bool:
    from analysis.dockerhost import docker_client

    try:
        docker_client(ALTERNATIVE)
    except PreconditionError:
        return False
    return True


@pytest.mark.skipif(_docker_reachable(), reason="a Docker engine is reachable here")
def test_without_engine_one_clear_line(tmp_path):
    from .conftest import run_cli

    done = run_cli("run", "qdrant", "--backend", "docker", "--root", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert "Docker engine not reachable" in done.stderr and "--backend edge" in done.stderr
    assert not (tmp_path / "qdrant").exists()  # nothing written


def test_url_backend_refused_connection_is_one_line(tmp_path):
    from .conftest import cli

    done = cli(
        "run", "qdrant", "--backend", "url", "--url", "http://127.0.0.1:9", "--root", str(tmp_path)
    )
    assert done.returncode == 2
    assert "not reachable" in done.stderr and "Traceback" not in done.stderr
