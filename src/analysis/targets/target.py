"""Target directories: parsing `LABEL=PATH`, refusing dangerous ones, room for a profile."""

from __future__ import annotations

import os
import pwd
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import paths
from ..errors import ParameterError, TargetError
from ..places.classify import SHARES
from ..places.record import filesystem_facts

LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Target:
    """A labelled place to measure; `fuse` means: re-export `path` through a bindfs share."""

    label: str
    path: Path
    fuse: bool = False
    why: str = field(default="", compare=False)  # why a run uses it (defaults say why)

    def __str__(self) -> str:
        return f"{self.label}={'fuse:' if self.fuse else ''}{self.path}"


def default_native_dir() -> Path:
    return paths.cache_home() / "targets" / "native"


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


def parse_targets(specs: list[str]) -> list[Target]:
    """Targets as given (on the command line or in a profile's `targets`)."""
    targets = [replace(parse_target(s), why="given") for s in specs]
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


# On a share (a user's Windows drive, a NAS) a run leaves this much free after writing:
# never fill a drive that other programs live on
SHARE_RESERVE_BYTES = 2**30
SHARE_RESERVE_FRACTION = 0.05


class NoRoomError(TargetError):
    """A target without room for what the profile writes there; both sizes are kept."""

    def __init__(self, message: str, need_bytes: int, free_bytes: int) -> None:
        super().__init__(message)
        self.need_bytes = need_bytes
        self.free_bytes = free_bytes


def room_needed(path: Path, need_bytes: int, cls: str | None = None) -> tuple[int, int]:
    """What a target must have free for need_bytes of ours (on a share, with the reserve
    left over), and what it has; cls: the path's class, when known (else looked up)."""
    usage = shutil.disk_usage(path)
    if need_bytes and (cls or filesystem_facts(path)["class"]) in SHARES:
        reserve = max(SHARE_RESERVE_BYTES, int(usage.total * SHARE_RESERVE_FRACTION))
        return need_bytes + reserve, usage.free
    return need_bytes, usage.free


def existing_parent(path: Path) -> Path:
    """path, or its nearest existing parent (where a directory not made yet would be)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def mib(n: int) -> str:
    """A size as people read it: GiB from 10 GiB, KiB under 1 MiB, else MiB."""
    if n >= 10 * 2**30:
        return f"{n / 2**30:.1f} GiB"
    if n < 2**20:
        return f"{n / 2**10:.0f} KiB"
    return f"{n / 2**20:.1f} MiB" if n < 10 * 2**20 else f"{n / 2**20:.0f} MiB"


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
    need, free = room_needed(p, need_bytes)
    if need_bytes and free < need:
        kept = (
            f" ({mib(need - need_bytes)} of it left free on a share)" if need > need_bytes else ""
        )
        raise NoRoomError(
            f"target {target.label}: {p} has {mib(free)} free, the profile needs "
            f"{mib(need)}{kept}: free space, use a smaller profile, or pick another place",
            need,
            free,
        )


def target_facts(target: Target, where: Path) -> dict:
    facts = {"spec": str(target), "fuse": target.fuse, **filesystem_facts(where)}
    return {**facts, "why": target.why} if target.why else facts
