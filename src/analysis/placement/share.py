"""The simulated cross-OS share: a directory re-exported through FUSE as a share model says."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import paths
from ..commands import require_tool
from ..errors import PreconditionError, TargetError
from ..interrupts import signals_deferred
from .classify import SIMULATED_PREFIX
from .models import ShareModel, load_model
from .mounts import is_mount_point, mount_of
from .targets import Target

MOUNT_WAIT_S = 20.0


def fuse_available(layer: str = "passthrough") -> str | None:
    """None when a FUSE share can be mounted here, else the reason why not."""
    if not Path("/dev/fuse").exists():
        return "/dev/fuse is missing (no FUSE in this kernel or container)"
    if not os.access("/dev/fuse", os.R_OK | os.W_OK):
        return "/dev/fuse is not accessible to this user"
    if layer == "bindfs" and not shutil.which("bindfs"):
        return "bindfs not found on PATH (apt-get install bindfs fuse3)"
    if not (shutil.which("fusermount3") or shutil.which("fusermount")):
        return "fusermount3 not found on PATH (apt-get install fuse3)"
    return None


def fsname(source: Path, model: ShareModel) -> str:
    """What the mount table shows as the share's source: `wsl-lab:<model>:<backing dir>`, so
    that `wsl-lab where` knows our mounts and their model from the table alone."""
    name = model.name.replace(":", "_").replace(",", "_")
    return f"{SIMULATED_PREFIX}{name}:{source}".replace("\\", "\\\\").replace(",", "\\,")


def model_label(mount_point: Path) -> Path:
    """Beside each of our mount points, the name of the model it behaves as: bindfs writes
    its own source into the mount table, so for it this file is where `where` finds it."""
    return mount_point.with_name(mount_point.name + ".share-model")


def model_beside(mount_point: str) -> str | None:
    """The model our mount at mount_point behaves as, if it is one of ours."""
    try:
        return model_label(Path(mount_point)).read_text().strip() or None
    except OSError:
        return None


def bindfs_command(source: Path, mount_point: Path, model: ShareModel) -> list[str]:
    # No direct_io: it breaks mmap, which Qdrant's storage needs.
    # bindfs writes its source as the fsname whatever it is asked; the subtype it keeps
    options = [*model.mount_options(), "subtype=wsl-lab"]
    cmd = [require_tool("bindfs"), "--no-allow-other", "-o", ",".join(options)]
    if model.read_mib_s:
        cmd.append(f"--read-rate={model.read_mib_s:g}M")
    if model.write_mib_s:
        cmd.append(f"--write-rate={model.write_mib_s:g}M")
    return [*cmd, str(source), str(mount_point)]


def layer_command(source: Path, mount_point: Path, model: ShareModel) -> list[str]:
    spec = {
        **model.parameters(),
        "mount_options": model.mount_options(),
        "fsname": fsname(source, model),
    }
    return [
        sys.executable,
        "-m",
        "analysis.placement.passthrough",
        str(source),
        str(mount_point),
        json.dumps(spec),
    ]


def unmount(mount_point: Path) -> None:
    """Unmount (lazily if busy) and check that it is gone."""
    tool = shutil.which("fusermount3") or shutil.which("fusermount")
    attempts = [[tool, "-u"], [tool, "-u", "-z"]] if tool else [["umount"], ["umount", "-l"]]
    for cmd in attempts:
        subprocess.run([*cmd, str(mount_point)], capture_output=True, timeout=30)
        if not is_mount_point(mount_point):
            return
        time.sleep(0.2)
    raise TargetError(f"could not unmount {mount_point}: unmount it with `fusermount3 -u`")


def _start(source: Path, mount_point: Path, model: ShareModel) -> subprocess.Popen | None:
    """Mount; returns the layer's process (None for bindfs, which daemonizes)."""
    if model.layer == "bindfs":
        done = subprocess.run(
            bindfs_command(source, mount_point, model), capture_output=True, text=True, timeout=30
        )
        if done.returncode != 0 or not is_mount_point(mount_point):
            why = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            raise PreconditionError(f"bindfs could not mount {source}: {why[0]}")
        return None
    # its own session: Ctrl-C in the terminal reaches us, and we unmount in order;
    # its messages go to a file (the layer keeps its own descriptor), never to a pipe
    # that nobody reads while it runs
    with tempfile.TemporaryFile(mode="w+") as log:
        proc = subprocess.Popen(
            layer_command(source, mount_point, model),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + MOUNT_WAIT_S
        while not is_mount_point(mount_point):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                log.seek(0)
                err = [ln for ln in log.read().splitlines() if ln.strip()][-1:]
                why = err[0] if err else f"not mounted after {MOUNT_WAIT_S:.0f} s"
                raise PreconditionError(f"the share layer could not mount {source}: {why}")
            time.sleep(0.01)
    return proc


def _stop(mount_point: Path, proc: subprocess.Popen | None) -> None:
    if is_mount_point(mount_point):
        unmount(mount_point)
    if proc is not None:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def fuse_share(source: Path, name: str, model: ShareModel) -> Iterator[Path]:
    """Mount source as the model says at a fresh mount point; always unmounted and removed."""
    reason = fuse_available(model.layer)
    if reason:
        raise PreconditionError(f"FUSE share unavailable: {reason}")
    base = paths.cache_home() / "mnt"
    base.mkdir(parents=True, exist_ok=True)
    mount_point = base / name
    mount_point.mkdir()  # exclusive: two runs never share a mount point
    label = model_label(mount_point)
    try:
        label.write_text(model.name + "\n")
        proc = None
        try:
            with signals_deferred():  # a mount half made is a mount we must still undo
                proc = _start(source, mount_point, model)
            yield mount_point
        finally:
            with signals_deferred():
                _stop(mount_point, proc)
    finally:
        with signals_deferred():
            for remove in (mount_point.rmdir, label.unlink):
                with contextlib.suppress(OSError):
                    remove()


def share_facts(model: ShareModel, where: Path) -> dict[str, Any]:
    """The model's name and every parameter, and the options the mount really has."""
    mount = mount_of(where)
    return {
        "share_model": model.name,
        "share_model_file": model.source,
        "share_parameters": model.parameters(),
        "share_calibration_inputs": sorted((model.calibration or {}).get("benchmarks") or {}),
        "share_options_requested": model.mount_options(),
        "share_mount_options": mount.options if mount else None,
    }


@contextlib.contextmanager
def placement(target: Target, run_id: str, model: ShareModel | None = None) -> Iterator[Path]:
    """The directory to measure in: the target itself, or its simulated share."""
    if not target.fuse:
        yield target.path
        return
    with fuse_share(target.path, f"{run_id}-{target.label}", model or load_model()) as where:
        yield where
