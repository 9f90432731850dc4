"""`wsl-lab audit` against a real Docker engine: a private dockerd, containers from a locally
imported image (`--network none`), bind-mounting a native directory and a simulated share,
and a named volume. The user's own engine is never asked: DOCKER_HOST names ours."""

from __future__ import annotations

import json
import os

import pytest

from analysis.share.models import load_model
from analysis.share.mount import fuse_available, fuse_share

from ..conftest import ROOT, run_cli
from . import dockerd

WHY = dockerd.missing() or fuse_available()
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(bool(WHY) and not os.environ.get("CI"), reason=f"no private engine: {WHY}"),
]


@pytest.fixture(scope="module")
def three_containers(engine, private_cache, tmp_path_factory):
    """A stopped container on a native directory, a running one on the simulated share of it,
    and one with a named volume."""
    native = tmp_path_factory.mktemp("native")
    (native / "f").write_text("hello")
    with fuse_share(native, "audit-share", load_model("wsl2-9p")) as share:
        client, made = engine.client, []
        try:
            made.append(
                client.containers.create(
                    engine.image,
                    ["cat", "/data/f"],
                    name="on-native",
                    network_mode="none",
                    volumes={str(native): {"bind": "/data", "mode": "rw"}},
                )
            )
            made.append(
                client.containers.run(
                    engine.image,
                    ["sleep", "600"],
                    name="on-share",
                    network_mode="none",
                    volumes={str(share): {"bind": "/data", "mode": "rw"}},
                    detach=True,
                )
            )
            made.append(
                client.containers.create(
                    engine.image,
                    ["ls", "/vol"],
                    name="on-volume",
                    network_mode="none",
                    volumes={"wsl-lab-test-vol": {"bind": "/vol", "mode": "rw"}},
                )
            )
            client.images.get(engine.image).tag("wsl-lab-test/ollama", "local")
            made.append(client.containers.create(
                "wsl-lab-test/ollama:local", ["sleep", "1"], name="ollama", network_mode="none",
                volumes={"wsl-lab-test-ollama": {"bind": "/root/.ollama", "mode": "rw"}},
            ))  # fmt: skip
            yield {"native": native, "share": share}
        finally:
            for c in made:
                c.remove(force=True)
            for name in ("wsl-lab-test-vol", "wsl-lab-test-ollama"):
                client.volumes.get(name).remove(force=True)


def _state(client) -> tuple:
    containers = sorted((c.name, c.status, c.id) for c in client.containers.list(all=True))
    return containers, sorted(v.name for v in client.volumes.list())


def test_audit_lists_each_mount_with_its_class(engine, three_containers, tmp_path):
    before = _state(engine.client)
    figure = tmp_path / "audit.png"
    done = run_cli("audit", "--json", "--figure", str(figure), env={"DOCKER_HOST": engine.host})
    assert done.returncode == 0, done.stderr
    audit = json.loads(done.stdout)
    by_item = {i["item"]: i for i in audit["items"]}
    native, share, vol = (
        by_item["on-native:/data"],
        by_item["on-share:/data"],
        by_item["on-volume:/vol"],
    )  # noqa: E501
    assert native["class"] == "native" and native["path"] == str(three_containers["native"])
    assert native["status"] == "created" and native["image"] == engine.image
    assert share["class"] == "simulated share" and share["share_model"] == "wsl2-9p"
    assert share["status"] == "running" and share["costs"]  # a share says what it costs
    assert vol["class"] == "native" and vol["volume"] == "wsl-lab-test-vol"
    assert vol["path"].startswith(str(engine.base / "data" / "volumes"))
    assert all(i["by"] == "mount table" for i in (native, share, vol))
    models = by_item["ollama:/root/.ollama"]
    assert models["what"] == "Ollama models (container)" and models["class"] == "native"
    assert audit["notes"] == []
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _state(engine.client) == before  # the audit only reads


def test_audit_check_fails_with_a_container_on_a_share_unless_told(
    engine, three_containers, tmp_path
):
    done = run_cli("audit", "--check", env={"DOCKER_HOST": engine.host})
    assert done.returncode == 1
    assert "simulated share" in done.stdout and "on-share:/data" in done.stdout
    assert done.stderr.strip().endswith("1 item(s) on a share fail the check (--min-slowdown 2)")
    high = run_cli(
        "audit", "--check", "--min-slowdown", "100000", env={"DOCKER_HOST": engine.host}
    )
    assert high.returncode == 0, high.stderr
    assert "on-share:/data: " in high.stderr and "slower, under 100000×" in high.stderr
    ignore = tmp_path / "accepted"
    ignore.write_text("on-share:*  # the team's share, slow and known\n")
    told = run_cli("audit", "--check", "--ignore", str(ignore), env={"DOCKER_HOST": engine.host})
    assert told.returncode == 0, told.stderr
    assert f"on-share:/data: accepted ({ignore}:1: on-share:*)" in told.stderr


def test_compose_volumes_found_in_the_engine(engine, three_containers, tmp_path):
    project = tmp_path / "app"
    project.mkdir()
    (project / "compose.yaml").write_text(
        "services:\n  db:\n    image: x\n    volumes:\n      - data:/qdrant/storage\n"
        "      - later:/later\n      - ./src:/src\n"
        "volumes:\n  data:\n    name: wsl-lab-test-vol\n  later:\n"
    )
    done = run_cli(
        "audit", "--json", "--compose", str(project / "compose.yaml"),
        env={"DOCKER_HOST": engine.host},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    items = {i["item"]: i for i in json.loads(done.stdout)["items"]}
    data, later, src = (
        items["app/db:/qdrant/storage"],
        items["app/db:/later"],
        items["app/db:/src"],
    )
    assert data["what"] == "compose volume" and data["class"] == "native"
    assert data["path"].startswith(str(engine.base / "data" / "volumes"))
    assert "not created yet" in later["note"] and later["exists"] is False
    assert src["class"] == "native" and src["path"] == str(project / "src")
    assert {data["read_by"], src["read_by"]} <= {"PyYAML", "docker-compose", "docker compose"}
    assert ROOT.exists()
