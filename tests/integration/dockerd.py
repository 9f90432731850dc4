"""A private Docker engine for the tests: its own data-root, exec-root, socket and pidfile
under a temporary directory, no iptables and no bridge (so no private network is made), and
an image imported from the local busybox-static binary (nothing is pulled). The user's own
engine is never touched: everything goes through this engine's socket."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.places.mounts import read_table

IMAGE = "wsl-lab-test/busybox:local"
START_S = 60


@dataclass
class PrivateEngine:
    host: str  # unix://<socket>
    client: object  # docker.DockerClient
    image: str
    base: Path


def missing() -> str | None:
    """Why a private engine cannot run here (None: it can)."""
    for tool in ("dockerd", "containerd", "runc"):
        if not shutil.which(tool):
            return f"{tool} not found (apt-get install docker.io)"
    busybox = shutil.which("busybox")
    dynamic = busybox and subprocess.run(["ldd", busybox], capture_output=True).returncode == 0
    if not busybox or dynamic:
        return "no static busybox to make an image of (apt-get install busybox-static)"
    if os.geteuid() != 0:
        return "dockerd needs root"
    return None


def _busybox_tar() -> bytes:
    """A root file system of one static busybox and the applets the tests run."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as tar:
        tar.add(os.path.realpath(shutil.which("busybox")), arcname="bin/busybox")
        for applet in ("sh", "sleep", "cat", "ls"):
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    return data.getvalue()


def _stop(proc: subprocess.Popen, base: Path) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for m in reversed(read_table()):  # whatever it left mounted under its own directories
        if m.mount_point.startswith(str(base) + "/"):
            subprocess.run(["umount", "-l", m.mount_point], capture_output=True, timeout=30)
    shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def private_engine(base: Path) -> Iterator[PrivateEngine]:
    import docker

    base.mkdir(parents=True, exist_ok=True)
    sock = base / "docker.sock"
    log = (base / "dockerd.log").open("w")
    proc = subprocess.Popen(
        [
            "dockerd", "--iptables=false", "--ip6tables=false", "--bridge=none",
            "--shutdown-timeout", "2",
            "--data-root", str(base / "data"), "--exec-root", str(base / "exec"),
            "-H", f"unix://{sock}", "-p", str(base / "dockerd.pid"),
        ],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        client = None
        deadline = time.monotonic() + START_S
        while client is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = (base / "dockerd.log").read_text().splitlines()[-5:]
                raise RuntimeError("private dockerd did not start: " + " | ".join(tail))
            with contextlib.suppress(Exception):
                c = docker.DockerClient(base_url=f"unix://{sock}", timeout=30)
                c.ping()
                client = c
            time.sleep(0.2)
        client.api.import_image_from_data(
            _busybox_tar(), repository=IMAGE.split(":")[0], tag="local"
        )
        yield PrivateEngine(f"unix://{sock}", client, IMAGE, base)
    finally:
        _stop(proc, base)
        log.close()
