"""`wsl-lab audit --plan` carried out: against a private dockerd, a compose project whose bind
mount and named volume (a `driver_opts` bind) sit on the simulated share is moved by running
the `--script` output with sh. The user's own engine is never asked: DOCKER_HOST names ours,
and every container runs with `network_mode: none`."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from analysis.share.models import load_model
from analysis.share.mount import fuse_available, fuse_share

from ..conftest import run_cli
from . import dockerd

WHY = dockerd.missing() or fuse_available()
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(bool(WHY) and not os.environ.get("CI"), reason=f"no private engine: {WHY}"),
]

COMPOSE = """\
# the app's data, as a user keeps it on the Windows drive
services:
  app:
    image: {image}
    command: ["sleep", "600"]
    stop_signal: SIGKILL       # busybox sleep as pid 1 ignores SIGTERM
    network_mode: none
    volumes:
      - {share}/web:/web   # the site's files
      - data:/data
volumes:
  data:
    driver: local
    driver_opts:
      type: none
      o: bind
      device: {share}/vol
"""


def _fill(backing: Path) -> None:
    """Files with what a copy must keep: an owner, a mode, a time, a symlink, a hole."""
    web, vol = backing / "web", backing / "vol"
    (web / "sub").mkdir(parents=True)
    vol.mkdir()
    (web / "index.html").write_text("<h1>hello</h1>\n")
    (web / "sub" / "private.txt").write_text("only its owner\n")
    os.chmod(web / "sub" / "private.txt", 0o640)
    os.chown(web / "sub" / "private.txt", 1000, 1000)
    os.symlink("index.html", web / "home.html")
    with (vol / "segment.bin").open("wb") as fh:  # 4 MiB, most of it a hole
        fh.write(os.urandom(4096))
        fh.seek(4 * 2**20 - 1)
        fh.write(b"\0")
    (vol / "log.txt").write_text("x" * 10000)
    os.utime(web / "index.html", (1_600_000_000.123456789, 1_600_000_000.123456789))


def _tree(root: Path) -> dict[str, tuple]:
    """Every entry under root: its kind, mode, owner, mtime, link target and checksum."""
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        link = os.readlink(path) if path.is_symlink() else None
        digest = (
            hashlib.sha256(path.read_bytes()).hexdigest()
            if path.is_file() and not path.is_symlink()
            else None
        )
        out[str(path.relative_to(root))] = (
            st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns, link, digest
        )  # fmt: skip
    return out


def _compose(*args: str, file: Path, host: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["docker-compose", "-f", str(file), *args],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        env={**os.environ, "DOCKER_HOST": host},
    )  # fmt: skip


@pytest.fixture(scope="module")
def on_the_share(engine, private_cache, tmp_path_factory):
    """The compose project up, its bind mount and volume on the simulated share."""
    backing = tmp_path_factory.mktemp("windows-drive")
    _fill(backing)
    project = tmp_path_factory.mktemp("project") / "shop"
    project.mkdir()
    with fuse_share(backing, "plan-share", load_model("wsl2-9p")) as share:
        file = project / "compose.yaml"
        file.write_text(COMPOSE.format(image=engine.image, share=share))
        up = _compose("up", "-d", file=file, host=engine.host)
        assert up.returncode == 0, up.stderr
        try:
            yield {"file": file, "share": share, "backing": backing}
        finally:
            _compose("down", file=file, host=engine.host)
            for v in engine.client.volumes.list():
                v.remove(force=True)


def _audit(*args: str, host: str) -> subprocess.CompletedProcess:
    return run_cli("audit", *args, env={"DOCKER_HOST": host})


def test_the_plans_script_moves_a_compose_project_off_the_share(engine, on_the_share, tmp_path):
    file, share = on_the_share["file"], on_the_share["share"]
    before = _tree(on_the_share["backing"])
    checked = _audit("--check", "--compose", str(file), host=engine.host)
    assert checked.returncode == 1, checked.stderr  # the project on the share fails the check
    dest = tmp_path / "home"
    made = _audit("--plan", "--script", "--to", str(dest), "--compose", str(file),
                  host=engine.host)  # fmt: skip
    assert made.returncode == 0, made.stderr
    script = tmp_path / "move.sh"
    script.write_text(made.stdout)
    assert "\nrm " not in made.stdout and "# rm -rf -- " in made.stdout  # removal: commented
    ran = subprocess.run(
        ["sh", str(script)], capture_output=True, text=True, timeout=300,
        env={**os.environ, "DOCKER_HOST": engine.host},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "checksums and metadata match" in ran.stderr

    # the containers run from the new place
    (app,) = engine.client.containers.list(filters={"label": "com.docker.compose.service=app"})
    assert app.status == "running"
    mounts = {m["Destination"]: m for m in app.attrs["Mounts"]}
    web = Path(mounts["/web"]["Source"])
    assert web.is_relative_to(dest)
    volume = engine.client.volumes.get(mounts["/data"]["Name"])
    device = Path(volume.attrs["Options"]["device"])
    assert device.is_relative_to(dest)
    assert app.exec_run(["cat", "/web/index.html"]).output == b"<h1>hello</h1>\n"
    # every file, its owner, mode, time and link as the original's; the hole stays a hole
    assert _tree(web) == _tree(share / "web")
    assert _tree(device) == _tree(share / "vol")
    assert (device / "segment.bin").stat().st_blocks * 512 < 2**20
    # the originals are untouched, and the old volume is still there
    assert _tree(on_the_share["backing"]) == before
    assert engine.client.volumes.get("shop_data").attrs["Options"]["device"] == f"{share}/vol"
    assert Path(str(file) + ".before-wsl-lab-move").read_text().count(str(share)) == 2

    # the next audit does not flag what moved
    after = _audit("--json", "--compose", str(file), host=engine.host)
    items = {i["item"]: i for i in json.loads(after.stdout)["items"]}
    assert items["shop/app:/web"]["class"] == "native"
    assert items["shop/app:/data"]["class"] == "native"
    old = items["volume shop_data"]
    assert old["class"] == "simulated share" and Path(old["moved_to"]).is_relative_to(dest)
    checked = _audit("--check", "--compose", str(file), host=engine.host)
    assert checked.returncode == 0, checked.stderr
    _compose("down", file=file, host=engine.host)


def test_a_destination_without_room_is_refused_in_one_line_before_any_step(
    engine, on_the_share, tmp_path
):
    big = on_the_share["share"] / "big"
    big.mkdir(exist_ok=True)
    (big / "data.bin").write_bytes(os.urandom(2**20))  # 1 MiB, where 64 KiB is free
    box = engine.client.containers.create(
        engine.image, ["sleep", "1"], name="roomy", network_mode="none",
        volumes={str(big): {"bind": "/big", "mode": "rw"}},
    )  # fmt: skip
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], check=True)
    try:
        done = _audit("--plan", "--script", "--to", str(small / "home"), host=engine.host)
        assert done.returncode == 2 and done.stdout == ""
        (line,) = done.stderr.strip().splitlines()
        assert f"--to {small / 'home'}: the copies need" in line and "nothing was done" in line
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)
        box.remove(force=True)


def test_a_qdrant_on_the_share_shows_its_cost_and_its_data_loss_risk(
    engine, on_the_share, tmp_path
):
    storage = on_the_share["share"] / "qdrant"
    storage.mkdir(exist_ok=True)
    engine.client.images.get(engine.image).tag("qdrant/qdrant", "v1.12.4")
    box = engine.client.containers.create(
        "qdrant/qdrant:v1.12.4", ["sleep", "1"], name="qdrant", network_mode="none",
        volumes={str(storage): {"bind": "/qdrant/storage", "mode": "rw"}},
    )  # fmt: skip
    try:
        done = _audit("--plan", "--to", str(tmp_path / "home"), host=engine.host)
        assert done.returncode == 0, done.stderr
        text = done.stdout
        block = text[text.index("container qdrant") :].split("\n\n")[0]
        assert "what it costs here: Qdrant cold start" in block
        assert "risk, data loss: Qdrant on a simulated share" in block
        assert "source: Qdrant, Installation requirements" in block
        assert "docker stop qdrant" in block
        listed = _audit("--json", host=engine.host)
        (item,) = [
            i for i in json.loads(listed.stdout)["items"] if i["item"] == "qdrant:/qdrant/storage"
        ]
        assert [r["about"] for r in item["risks"]] == ["Qdrant"]
    finally:
        box.remove(force=True)
