"""Target directories: parsing `LABEL=PATH`, refusing dangerous ones, our scratch space."""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import ParameterError, TargetError
from .mounts import filesystem_facts

MARKER = ".wsl-lab-scratch"
LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Target:
    """A labelled place to measure; `fuse` means: re-export `path` through a bindfs share."""

    label: str
    path: Path
    fuse: bool = False

    def __str__(self) -> str:
        return f"{self.label}={'fuse:' if self.fuse else ''}{self.path}"


def default_native_dir() -> Path:
    return paths.cache_home() / "targets" / "native"


def default_targets() -> list[Target]:
    """Without user paths: a native directory and the same directory through a FUSE share."""
    native = default_native_dir()
    return [Target("native", native), Target("share", native, fuse=True)]


def parse_target(spec: str) -> Target:
    label, sep, rest = spec.partition("=")
    if not sep or not rest:
        raise ParameterError(f"target {spec!r} is not LABEL=PATH: e.g. --target native=~/temp")
    if not LABEL_RE.match(label):
        raise ParameterError(
            f"target label {label!r} must be letters, digits, '-' or '_' (at most 32)"
        )
    fuse = rest.startswith("fuse:")
    raw = rest[5:] if fuse else rest
    return Target(label, Path(os.path.expanduser(raw)).absolute(), fuse)


def parse_targets(specs: list[str] | None) -> list[Target]:
    if not specs:
        return default_targets()
    targets = [parse_target(s) for s in specs]
    labels = [t.label for t in targets]
    dupes = sorted({lb for lb in labels if labels.count(lb) > 1})
    if dupes:
        raise ParameterError(f"target label(s) used twice: {', '.join(dupes)}")
    return targets


def _home_dirs() -> set[Path]:
    homes = {Path.home().resolve()}
    for entry in pwd.getpwall():
        if entry.pw_dir and entry.pw_dir not in ("/", "/nonexistent"):
            homes.add(Path(entry.pw_dir).resolve())
    return homes


def ready_targets(targets: list[Target]) -> None:
    """Before a run directory exists: create our own default directory, refuse dangerous ones."""
    for t in targets:
        if t.path == default_native_dir():
            t.path.mkdir(parents=True, exist_ok=True)
    refuse_all(targets)


def refuse_dangerous(path: Path) -> None:
    """Refuse `/`, a home directory itself, and anything inside the repository's data/."""
    real = path.resolve()
    if real == Path("/"):
        raise TargetError(f"refusing target {path}: the root directory; pass a subdirectory")
    if real in _home_dirs():
        raise TargetError(
            f"refusing target {path}: a home directory itself; pass a subdirectory "
            f"such as {path}/temp"
        )
    data = paths.DATA.resolve()
    if real == data or data in real.parents:
        raise TargetError(
            f"refusing target {path}: inside the project's data/ directory, where results live"
        )


def refuse_all(targets: list[Target]) -> None:
    """Before a run directory exists: no dangerous target, no file given as a directory."""
    for t in targets:
        refuse_dangerous(t.path)
        if t.path.exists() and not t.path.is_dir():
            raise TargetError(f"target {t.label}: {t.path} is not a directory")


def check_target(target: Target, need_bytes: int = 0) -> None:
    """Every check that can be made before anything is written."""
    p = target.path
    if not p.exists():
        raise TargetError(f"target {target.label}: {p} does not exist: create it or pick another")
    if not p.is_dir():
        raise TargetError(f"target {target.label}: {p} is not a directory")
    refuse_dangerous(p)
    if not os.access(p, os.W_OK | os.X_OK):
        raise TargetError(f"target {target.label}: {p} is not writable by this user")
    free = shutil.disk_usage(p).free
    if need_bytes and free < need_bytes:
        raise TargetError(
            f"target {target.label}: {p} has {free / 2**20:.0f} MiB free, the profile needs "
            f"{need_bytes / 2**20:.0f} MiB: free space or use a smaller profile"
        )


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
        (scratch / MARKER).write_text(f"{run_id} {label}\n")
    except OSError as exc:
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
    from ..faults import checkpoint
    from ..interrupts import signals_deferred

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
        cleanup_scratch(scratch)


def leftover_scratch(base: Path) -> list[Path]:
    """Scratch directories of ours still under base (what an interrupted cleanup would leave)."""
    if not base.is_dir():
        return []
    return sorted(p for p in base.glob("wsl-lab-*") if (p / MARKER).is_file())


def target_facts(target: Target, where: Path) -> dict:
    return {"spec": str(target), "fuse": target.fuse, **filesystem_facts(where)}
