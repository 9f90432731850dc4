"""The simulated cross-OS share: a directory re-exported through FUSE as a share model says."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import paths
from ..commands import PlaceDied, require_tool, watching
from ..errors import PreconditionError, TargetError
from ..interrupts import signals_deferred
from ..owner import identity, marker_text, stat_fields, write_marker
from ..places.classify import SIMULATED_PREFIX
from ..places.mounts import is_mount_point, mount_of
from ..targets.target import Target
from .models import ShareModel, load_model

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


def served_label(mount_point: Path) -> Path:
    """Beside each of our layer's mount points, what it served (written when it ends)."""
    return mount_point.with_name(mount_point.name + ".served")


def owner_label(mount_point: Path) -> Path:
    """Beside each of our mount points, who mounted it (run, host, boot, pid): what tells a
    later run that the mount's run is dead and the mount can be reclaimed."""
    return mount_point.with_name(mount_point.name + ".owner")


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
        "analysis.share.passthrough",
        str(source),
        str(mount_point),
        json.dumps(spec),
        str(served_label(mount_point)),
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


def _start(
    source: Path, mount_point: Path, model: ShareModel, log: Any
) -> subprocess.Popen | None:
    """Mount; returns the layer's process (None for bindfs, which daemonizes); the layer's
    messages go to log."""
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
            err = _tail(log, 1)
            why = err[0] if err else f"not mounted after {MOUNT_WAIT_S:.0f} s"
            raise PreconditionError(f"the share layer could not mount {source}: {why}")
        time.sleep(0.01)
    return proc


def _tail(log: Any, n: int = 3) -> list[str]:
    log.seek(0)
    return [ln for ln in log.read().splitlines() if ln.strip()][-n:]


def _served(mount_point: Path) -> dict[str, Any]:
    try:
        return json.loads(served_label(mount_point).read_text())
    except (OSError, ValueError):
        return {}  # bindfs, or a layer that did not end by itself: not measured


def served_now(where: Path) -> dict[str, Any] | None:
    """What our layer under `where` has served so far (it writes this about once a second);
    None when where is not on one of our layer's mounts."""
    mount = mount_of(where)
    if mount is None or not mount.fstype.endswith("wsl-lab"):
        return None
    return _served(Path(mount.mount_point)) or None


def served_count(mount_point: Path) -> dict[str, int]:
    """Requests our layer at mount_point has served so far, per kind, as of now: asking for
    a name it knows makes it write them first (a counted benchmark's before and after)."""
    # the name is passthrough.SERVED_NAME, written twice: the layer imports nothing of ours
    with contextlib.suppress(FileNotFoundError):
        os.stat(mount_point / ".wsl-lab-served")
    got = _served(mount_point)
    return {k: c["requests"] for k, c in (got.get("kinds") or {}).items()}


def served_since(before: dict[str, Any] | None, now: dict[str, Any] | None) -> dict | None:
    """Per kind: the requests and bytes our layer served between two snapshots (None when
    the place is not our layer: not measured)."""
    if not before or not now:
        return None
    out = {}
    for kind, c in now["kinds"].items():
        b = before["kinds"].get(kind, {})
        n = c["requests"] - b.get("requests", 0)
        nbytes = c.get("bytes", 0) - b.get("bytes", 0)
        out[kind] = {
            "requests": n,
            "bytes": nbytes,
            "mean_request_kib": round(nbytes / n / 1024, 2) if n and nbytes else None,
            "over_service": c["over_service"] - b.get("over_service", 0),
        }
    return out


class Watch:
    """Whether our layer still serves its mount: its process has not exited or stopped, and
    a statfs of the mount (which no cache answers) is answered within HANG_S. A thread of
    its own asks, once a second, so that a hung mount never hangs whoever checks."""

    HANG_S = 10.0

    def __init__(self, mount_point: Path, proc: subprocess.Popen | None, log: Any) -> None:
        self.mount_point, self.proc, self.log = mount_point, proc, log
        self.dead: str | None = None
        self.asked_at: float | None = None  # when the statfs now waiting was asked
        self.refused: str | None = None  # what the last statfs was answered with, if an error
        self._closed = threading.Event()
        threading.Thread(target=self._ask, daemon=True, name="share-watch").start()

    def _ask(self) -> None:
        while not self._closed.is_set():
            self.asked_at = time.monotonic()
            try:
                os.statvfs(self.mount_point)
            except OSError as exc:
                self.refused = exc.strerror
            self.asked_at = None
            self._closed.wait(1.0)

    def close(self) -> None:
        self._closed.set()

    def __call__(self) -> str | None:
        if self.dead is None:
            self.dead = self._check()
        return self.dead

    def _check(self) -> str | None:
        waited = time.monotonic() - self.asked_at if self.asked_at is not None else 0.0
        if self.proc is not None:
            code = self.proc.poll()
            if code is not None:
                tail = " / ".join(_tail(self.log)) or "no message"
                return f"the share layer exited with status {code} ({tail})"
            if (stat_fields(self.proc.pid) or ["?"])[0] in ("T", "t"):
                # stopped (SIGSTOP, a debugger): every request on the mount now waits for
                # ever, our own cleanup too; end it, so the mount fails fast instead
                self._end()
                return "the share layer was stopped and did not answer: wsl-lab ended it"
            if waited > self.HANG_S:  # alive, but deadlocked or lost: the same for its users
                self._end()
                return (
                    f"the share layer stopped answering (no reply to statfs in "
                    f"{self.HANG_S:.0f} s): wsl-lab ended it"
                )
            return None
        if waited > self.HANG_S:
            return f"the share stopped answering (no reply to statfs in {self.HANG_S:.0f} s)"
        if self.refused:
            return f"the share stopped answering ({self.refused})"
        return None

    def _end(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()


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
def fuse_share(
    source: Path, name: str, model: ShareModel, served: dict[str, Any] | None = None
) -> Iterator[Path]:
    """Mount source as the model says at a fresh mount point; always unmounted and removed.
    What our layer served (per kind: requests, and those over the model's time) goes into
    served once it has ended."""
    reason = fuse_available(model.layer)
    if reason:
        raise PreconditionError(f"FUSE share unavailable: {reason}")
    base = paths.cache_home() / "mnt"
    base.mkdir(parents=True, exist_ok=True)
    mount_point = base / name
    label, owned = model_label(mount_point), owner_label(mount_point)
    if owned.exists() or mount_point.exists():
        raise TargetError(f"mount point {mount_point} already exists: another run uses it")
    # who owns it first, so that a kill at any moment leaves nothing a later run cannot tell
    write_marker(owned, marker_text(name, "mount", identity()))
    watch = None
    try:
        mount_point.mkdir()  # exclusive: two runs never share a mount point
        label.write_text(model.name + "\n")
        proc = None
        with tempfile.TemporaryFile(mode="w+") as log:
            try:
                with signals_deferred():  # a mount half made is a mount we must still undo
                    proc = _start(source, mount_point, model, log)
                watch = Watch(mount_point, proc, log)
                with watching(watch):  # every tool run meanwhile is ended if the layer dies
                    yield mount_point
            finally:
                if watch is not None:
                    watch()  # its last word: did it die under the block?
                    watch.close()
                with signals_deferred():
                    _stop(mount_point, proc)
                if served is not None:
                    served.update(_served(mount_point))
    finally:
        with signals_deferred():
            done = served_label(mount_point)
            # a snapshot the layer was writing when it was stopped is left half made
            halves = [p.unlink for p in done.parent.glob(done.name + ".*.new")]
            for remove in (mount_point.rmdir, label.unlink, done.unlink, *halves, owned.unlink):
                with contextlib.suppress(OSError):
                    remove()
        # the layer died under the block: that is why it failed (an interrupt stays one)
        if (
            watch is not None
            and watch.dead
            and not isinstance(sys.exc_info()[1], KeyboardInterrupt)
        ):
            raise PlaceDied(watch.dead)


def share_facts(model: ShareModel, where: Path) -> dict[str, Any]:
    """The model's name and every parameter, and the options the mount really has."""
    mount = mount_of(where)
    return {
        "share_model": model.name,
        "share_model_file": model.source,
        "share_parameters": model.parameters(),
        "share_calibration_inputs": model.inputs(),
        "share_sources": model.sources,
        "share_options_requested": model.mount_options(),
        "share_mount_options": mount.options if mount else None,
    }


@contextlib.contextmanager
def placement(
    target: Target,
    run_id: str,
    model: ShareModel | None = None,
    served: dict[str, Any] | None = None,
) -> Iterator[Path]:
    """The directory to measure in: the target itself, or its simulated share."""
    if not target.fuse:
        yield target.path
        return
    name = f"{run_id}-{target.label}"
    with fuse_share(target.path, name, model or load_model(), served) as where:
        yield where
