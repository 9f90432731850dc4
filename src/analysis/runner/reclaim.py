"""Reclaim what dead runs left behind: their scratch directories and their dead mounts.

A run killed with `kill -9`, by the OOM killer or by a reboot cannot clean up. Its scratch
directories (`wsl-lab-<run>-<label>`, each with our marker naming the run and its owner) stay
in the targets, and the mount point of its simulated share stays under the cache, the mount
itself dead (`Transport endpoint is not connected`) or gone. What is reclaimed is only what
holds our marker and whose owner is gone (`owner.gone`): a live run's scratch is never touched,
nor anything without the marker.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import paths
from ..cache import footprint
from ..errors import TargetError
from ..owner import NEW, gone, read_marker
from ..places.mounts import is_mount_point
from ..runs import list_runs
from ..share.mount import model_label, owner_label, served_label, unmount
from ..targets.scratch import MARKER, leftover_scratch, remove_scratch, unmarked_scratch
from ..targets.target import default_native_dir, mib, parse_target

Say = Callable[[str], None]


def abandoned_runs(root: Path | None) -> list[str]:
    """The ids of the runs under root marked abandoned."""
    return [m["run_id"] for m in list_runs(root) if m.get("status") == "abandoned"]


def dead_scratch(base: Path, abandoned: list[str] | None = None) -> list[tuple[Path, str]]:
    """Our scratch directories in base whose run's process is gone, with why; and those of
    the abandoned runs that were killed before they could mark theirs."""
    out = []
    for scratch in leftover_scratch(base):
        marker = read_marker(scratch / MARKER)
        why = gone(marker[1]) if marker else None
        if why:
            out.append((scratch, why))
    for scratch in unmarked_scratch(base, abandoned or []):
        out.append((scratch, "its run was abandoned before it marked this directory"))
    return out


def dead_mounts(base: Path | None = None) -> list[tuple[Path, str]]:
    """Our mount points under the cache whose run's process is gone, with why. The owner
    file is written before its mount point is made, so every mount point of ours has one."""
    base = base or paths.cache_home() / "mnt"
    if not base.is_dir():
        return []
    out = []
    for owned in sorted(base.glob("*.owner")):
        marker = read_marker(owned)
        why = gone(marker[1]) if marker else None
        if why:
            out.append((owned.with_name(owned.name.removesuffix(".owner")), why))
    return out


def _remove_mount(mount_point: Path) -> None:
    if is_mount_point(mount_point):
        unmount(mount_point)  # -u, then -u -z: a dead layer's mount detaches
    with contextlib.suppress(FileNotFoundError):  # killed before it was made
        mount_point.rmdir()
    for label in (model_label(mount_point), served_label(mount_point), owner_label(mount_point)):
        label.unlink(missing_ok=True)


def _remove_scratch(scratch: Path) -> bool:
    if (scratch / MARKER).is_file():
        return remove_scratch(scratch)
    (scratch / (MARKER + NEW)).unlink(missing_ok=True)  # never marked: nothing else inside
    scratch.rmdir()
    return True


def reclaim(
    bases: Iterable[Path], say: Say, root: Path | None = None, mounts: Path | None = None
) -> dict[str, list[str]]:
    """Remove dead runs' scratch in bases and their mounts under the cache (the runs under
    root name what their killed runs could not mark); one line beginning `reclaimed` says
    what and how much, one line per thing that could not be."""
    done: dict[str, list[str]] = {"scratch": [], "mounts": [], "failed": []}
    freed = 0
    for mount_point, _why in dead_mounts(mounts):
        try:
            _remove_mount(mount_point)
            done["mounts"].append(str(mount_point))
        except (OSError, TargetError) as exc:
            done["failed"].append(f"{mount_point}: {exc}")
    abandoned = abandoned_runs(root)
    for base in dict.fromkeys(Path(b) for b in bases):
        for scratch, _why in dead_scratch(base, abandoned):
            size = footprint(scratch)["allocated_bytes"]  # sparse files count as held
            try:
                if _remove_scratch(scratch):
                    freed += size
                    done["scratch"].append(str(scratch))
            except (OSError, TargetError) as exc:
                done["failed"].append(f"{scratch}: {exc}")
    if done["scratch"] or done["mounts"]:
        what = []
        if done["scratch"]:
            n = len(done["scratch"])
            what.append(f"{n} scratch director{'y' if n == 1 else 'ies'} ({mib(freed)})")
        if done["mounts"]:
            n = len(done["mounts"])
            what.append(f"{n} dead mount{'' if n == 1 else 's'}")
        names = ", ".join(Path(p).name for p in done["scratch"] + done["mounts"])
        say(f"reclaimed {' and '.join(what)} of abandoned runs: {names}")
    for line in done["failed"]:
        say(f"could not reclaim {line}")
    return done


def known_targets(root: Path | None = None) -> list[Path]:
    """Every place runs measured in: the default directory and each target (a simulated
    share's backing directory) recorded by the runs under root."""
    places = [default_native_dir()]
    for m in list_runs(root):
        for spec in (m.get("parameters") or {}).get("targets") or []:
            with contextlib.suppress(Exception):
                places.append(parse_target(spec).path)
    return list(dict.fromkeys(places))
