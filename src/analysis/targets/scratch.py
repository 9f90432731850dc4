"""Our scratch directories: made exclusively inside a target with our marker (the run and its
owner), removed only when the marker is there, also on Ctrl-C; and those a dead run left."""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import TargetError
from ..faults import checkpoint
from ..interrupts import signals_deferred
from ..owner import NEW, identity, marker_text, write_marker

MARKER = ".wsl-lab-scratch"


def make_scratch(base: Path, run_id: str, label: str) -> Path:
    """Create our own scratch directory inside base, exclusively, with our marker file."""
    scratch = base / f"wsl-lab-{run_id}-{label}"
    try:
        scratch.mkdir()
    except FileExistsError:
        raise TargetError(
            f"scratch directory {scratch} already exists: another run uses it"
        ) from None
    except OSError as exc:
        raise TargetError(f"target {label}: cannot create {scratch}: {exc.strerror}") from None
    try:
        checkpoint("scratch")  # a kill here leaves the directory without its marker
        write_marker(scratch / MARKER, marker_text(run_id, label, identity()))
    except OSError as exc:
        (scratch / (MARKER + NEW)).unlink(missing_ok=True)
        scratch.rmdir()
        raise TargetError(f"target {label}: cannot write in {scratch}: {exc.strerror}") from None
    return scratch


def remove_scratch(scratch: Path, settle_s: float = 5.0) -> bool:
    """Delete scratch only if it holds our marker; returns whether it was removed."""
    marker = scratch / MARKER
    if not marker.is_file():
        return False
    # The marker goes last, so an interrupted removal can be finished by a later call.
    deadline = time.monotonic() + settle_s
    while True:
        rest = [c for c in scratch.iterdir() if c.name != MARKER]
        for child in rest:
            if child.name.startswith(".fuse_hidden"):
                continue  # a FUSE file deleted while still open: it goes when it is closed
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        rest = [c for c in scratch.iterdir() if c.name != MARKER]
        if not rest:
            break
        if time.monotonic() > deadline:
            raise TargetError(f"cannot empty {scratch}: {rest[0].name} is still open")
        time.sleep(0.05)
    marker.unlink()
    scratch.rmdir()
    return True


def cleanup_scratch(scratch: Path) -> None:
    """Remove our scratch directory; Ctrl-C or SIGTERM meanwhile waits until it is gone."""
    with signals_deferred():
        checkpoint("cleanup")
        remove_scratch(scratch)


@contextlib.contextmanager
def scratch_dir(where: Path, run_id: str, label: str) -> Iterator[Path]:
    """Our scratch directory inside where for the block, removed after it (also on Ctrl-C)."""
    scratch = make_scratch(where, run_id, label)
    try:
        yield scratch
    finally:
        try:
            cleanup_scratch(scratch)
        except OSError as exc:  # e.g. a share that died: its error says more than this one
            if sys.exc_info()[1] is None:
                raise TargetError(f"cannot remove {scratch}: {exc.strerror}") from None


def leftover_scratch(base: Path) -> list[Path]:
    """Scratch directories of ours still under base (what an interrupted cleanup would leave)."""
    if not base.is_dir():
        return []
    return sorted(p for p in base.glob("wsl-lab-*") if (p / MARKER).is_file())


def unmarked_scratch(base: Path, run_ids: list[str]) -> list[Path]:
    """Scratch directories of these runs that never got their marker (the run was killed
    between making one and marking it): named for the run, holding nothing else."""
    if not base.is_dir() or not run_ids:
        return []
    found = []
    for p in base.glob("wsl-lab-*"):
        if (
            any(p.name.startswith(f"wsl-lab-{rid}-") for rid in run_ids)
            and p.is_dir()
            and not p.is_symlink()
            and not (p / MARKER).exists()
            and all(c.name == MARKER + NEW for c in p.iterdir())
        ):
            found.append(p)
    return sorted(found)
