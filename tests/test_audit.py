"""The audit's parts that need no engine: no engine at all, sources classified by their form,
compose files read as Compose would, and costs that name their runs."""

from __future__ import annotations

import json
import shutil

import pytest

from analysis.audit.compose import interpolate, read_compose
from analysis.audit.costs import WORKLOADS, costs_for, known_costs
from analysis.audit.engine import by_form
from analysis.errors import ParseError
from analysis.places.classify import Classified

from .conftest import cli

NO_ENGINE = "unix:///nonexistent/docker.sock"


def test_no_engine_is_one_line_and_the_rest_is_reported():
    done = cli("audit", env={"DOCKER_HOST": NO_ENGINE})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Docker: no engine at {NO_ENGINE} (no such file or directory)"
    assert any(ln.startswith("project: current directory") for ln in lines)
    assert any(ln.startswith("models: Ollama models") for ln in lines)
    assert any("wsl-lab runs (data/raw)" in ln for ln in lines)


def test_no_engine_on_loopback_tcp(tmp_path, cache_home, monkeypatch):
    """Every place the audit looks at is put in a native temporary directory, so that
    `--check` passes wherever the checkout is (on WSL it may be on /mnt/c, a share)."""
    from analysis import paths

    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    env = {"DOCKER_HOST": "tcp://127.0.0.1:9", "OLLAMA_MODELS": str(tmp_path / "ollama"),
           "HF_HOME": str(tmp_path / "hf")}  # fmt: skip
    done = cli("audit", "--json", "--check", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr  # nothing on a share
    audit = json.loads(done.stdout)
    assert audit["notes"] == ["Docker: no engine at tcp://127.0.0.1:9 (connection refused)"]
    assert audit["items"][0]["item"] == "current directory"


def test_model_caches_follow_their_variables(tmp_path):
    (tmp_path / "models").mkdir()
    env = {"DOCKER_HOST": NO_ENGINE, "OLLAMA_MODELS": str(tmp_path / "models"),
           "HF_HOME": str(tmp_path / "hf")}  # fmt: skip
    items = json.loads(cli("audit", "--json", env=env).stdout)["items"]
    by_item = {i["item"]: i for i in items}
    ollama, hf = by_item["Ollama models (OLLAMA_MODELS)"], by_item["Hugging Face cache (HF_HOME)"]
    assert ollama["path"] == str(tmp_path / "models") and ollama["exists"] is True
    assert hf["exists"] is False and "absent" in hf["note"] and hf["class"] == "native"


@pytest.mark.parametrize(
    "source, cls, kind, windows",
    [
        ("/run/desktop/mnt/host/c/Users/me/app", "cross-os share", "docker-desktop-host",
         "C:\\Users\\me\\app"),
        ("/run/desktop/mnt/host/d", "cross-os share", "docker-desktop-host", "D:\\"),
        ("C:\\Users\\me\\app", "cross-os share", "docker-desktop-host", "C:\\Users\\me\\app"),
        ("c:/work", "cross-os share", "docker-desktop-host", "C:\\work"),
        ("/host_mnt/Users/me/app", "cross-os share", "docker-desktop-host", None),
        ("/var/lib/docker/volumes/db/_data", "native", "engine-vm-disk", None),
        ("/srv/app", "unknown", "engine-host", None),
    ],
)  # fmt: skip
def test_engine_sources_classified_by_form(source, cls, kind, windows):
    place = by_form(source)
    assert (place.cls, place.kind, place.windows_path) == (cls, kind, windows)


COMPOSE = """\
services:
  web:
    image: nginx
    volumes:
      - ./site:/usr/share/nginx/html:ro
      - ${DATA_DIR:-./data}:/data
      - ${UNSET_DIR:-./fallback}:/fallback
      - cache:/var/cache
      - type: bind
        source: ${SRC}/code
        target: /code
      - type: volume
        source: shared
        target: /shared
      - /anon
  db:
    image: qdrant/qdrant
    volumes:
      - qdrant:/qdrant/storage
      - nfsdata:/nfs
volumes:
  cache:
  shared:
    external: true
  qdrant:
    name: my-qdrant
  nfsdata:
    driver_opts:
      type: nfs
      o: addr=127.0.0.1,rw
      device: ":/export"
"""


@pytest.fixture
def compose_file(tmp_path, monkeypatch):
    app = tmp_path / "My-App"
    app.mkdir()
    (app / "docker-compose.yml").write_text(COMPOSE)
    (app / ".env").write_text(f'SRC={tmp_path}/src\n# a comment\nDATA_DIR="./from-env"\n')
    monkeypatch.delenv("DATA_DIR", raising=False)
    monkeypatch.delenv("UNSET_DIR", raising=False)
    monkeypatch.delenv("COMPOSE_PROJECT_NAME", raising=False)
    return app / "docker-compose.yml"


def _key(m):
    return (m.service, m.type, m.source, m.target, m.volume_options or {})


def test_compose_read_with_pyyaml(compose_file, tmp_path):
    app = compose_file.parent
    mounts = {(m.service, m.target): m for m in read_compose(compose_file, use_cli=False)}
    assert {m.read_by for m in mounts.values()} == {"PyYAML"}
    assert {m.project for m in mounts.values()} == {"my-app"}
    assert mounts["web", "/usr/share/nginx/html"].source == str(app / "site")
    assert mounts["web", "/data"].source == str(app / "from-env")  # .env, not the default
    assert mounts["web", "/fallback"].source == str(app / "fallback")
    assert mounts["web", "/code"].source == f"{tmp_path}/src/code"
    assert mounts["web", "/var/cache"].source == "my-app_cache"
    assert mounts["web", "/shared"].source == "shared"  # external: its own name
    assert mounts["db", "/qdrant/storage"].source == "my-qdrant"
    assert mounts["db", "/nfs"].volume_options["type"] == "nfs"
    assert mounts["web", "/anon"].source == ""


def test_the_environment_wins_over_dotenv(compose_file, monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "shell"))
    mounts = {m.target: m for m in read_compose(compose_file, use_cli=False)}
    assert mounts["/data"].source == str(tmp_path / "shell")


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose not installed")
def test_the_compose_cli_and_pyyaml_agree(compose_file):
    cli = read_compose(compose_file)
    assert {m.read_by for m in cli} == {"docker-compose"}
    assert sorted(map(_key, cli)) == sorted(map(_key, read_compose(compose_file, use_cli=False)))


def test_compose_items_in_the_audit(compose_file):
    done = cli("audit", "--json", "--compose", str(compose_file), env={"DOCKER_HOST": NO_ENGINE})
    assert done.returncode == 0, done.stderr
    items = {i["item"]: i for i in json.loads(done.stdout)["items"]}
    assert items["my-app/db:/nfs"]["class"] == "network share"
    assert items["my-app/web:/var/cache"]["note"].startswith(
        "named volume my-app_cache: not created"
    )
    assert items["my-app/web:/data"]["class"] == "native"


def test_interpolation_forms():
    env = {"A": "1", "EMPTY": ""}
    assert interpolate("$A ${A} $$A ${EMPTY:-d} ${EMPTY-d} ${B-x-y}", env) == "1 1 $A d  x-y"
    with pytest.raises(ParseError, match="B must be set"):
        interpolate("${B:?B must be set}", env)


def test_bad_compose_is_one_line(tmp_path):
    bad = tmp_path / "compose.yaml"
    bad.write_text("services: [unclosed\n")
    done = cli("audit", "--compose", str(bad), env={"DOCKER_HOST": NO_ENGINE})
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not YAML" in done.stderr
    bad.write_text("just: text\n")
    done = cli("audit", "--compose", str(bad), env={"DOCKER_HOST": NO_ENGINE})
    assert done.returncode == 2 and "no `services:` mapping" in done.stderr


SIMULATED = Classified("simulated share", "wsl-lab:wsl2-9p", "fuse.wsl-lab", share_model="wsl2-9p")
DRIVE = Classified("cross-os share", "wsl2-9p-drvfs", "9p", "C:\\x", "virtio", 262144)


def test_costs_come_from_the_sample_when_this_machine_has_no_run(tmp_path):
    known = known_costs(raw=tmp_path / "empty")
    costs = costs_for(DRIVE, known)
    assert [c["workload"] for c in costs] == [w.key for w in WORKLOADS]
    for c in costs:
        assert c["ratio"] > 1 and c["run_id"]
        assert c["basis"] == "simulated (share model wsl2-9p), committed sample"


def test_this_machines_own_run_comes_first(sample_raw, tmp_path):
    raw = tmp_path / "mine"
    (raw / "qdrant").mkdir(parents=True)
    run = next((sample_raw / "qdrant").iterdir())
    shutil.copytree(run, raw / "qdrant" / run.name)
    costs = {c["workload"]: c for c in costs_for(SIMULATED, known_costs(raw=raw))}
    assert costs["qdrant_cold_start"]["basis"] == "simulated (share model wsl2-9p)"
    assert costs["git_status"]["basis"].endswith("committed sample")


def test_a_network_share_has_no_cost_it_did_not_measure(tmp_path):
    nfs = Classified("network share", "nfs4", "nfs4")
    costs = costs_for(nfs, known_costs(raw=tmp_path / "empty"))
    assert all(c["ratio"] is None for c in costs)
    assert {c["basis"] for c in costs} == {"not measured on a network share"}
