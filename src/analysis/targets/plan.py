"""`wsl-lab targets`: the places each experiment would measure, what they are, why they were
chosen, and whether they have room for what the profile writes there. Nothing is written."""

from __future__ import annotations

from typing import Any

from ..errors import ExperimentError
from ..experiments import get
from ..places.classify import SIMULATED
from ..places.host import Host, wsl_reason
from .defaults import Resolved, chosen
from .target import Target, existing_parent, mib, room_needed


def target_row(host: Host, target: Target, need: int | None, model: str) -> dict[str, Any]:
    """One target as a run would use it: its place by this host's table, and its room."""
    mount, place = host.place_of(existing_parent(target.path))
    row: dict[str, Any] = {
        "label": target.label,
        "path": str(target.path),
        "spec": str(target),
        "fuse": target.fuse,
        "why": target.why,
        "class": SIMULATED if target.fuse else place.cls,
        "kind": f"wsl-lab:{model}" if target.fuse else place.kind,
        "place": f"fuse.wsl-lab, model {model}, over {place.describe()}"
        if target.fuse
        else place.describe(),
        "fstype": "fuse.wsl-lab" if target.fuse else place.fstype,
        "mount_point": mount.mount_point if mount else None,
        "mount_source": mount.source if mount else None,
        "mount_options": mount.options if mount else None,
        "windows_path": place.windows_path,
        "exists": target.path.is_dir(),
        "need_bytes": need,  # what the profile writes there (None: not known)
        "keep_free_bytes": None,  # on a share: left free after writing
        "free_bytes": None,
        "room": None,
    }
    if need is not None:
        required, free = room_needed(existing_parent(target.path), need, place.cls)
        row.update(keep_free_bytes=required - need, free_bytes=free, room=free >= required)
    return row


def experiment_plan(host: Host, profile: str, name: str) -> dict[str, Any]:
    """The places one experiment would use on this host with this profile."""
    exp = get(name)
    p = exp.load(profile)
    resolved: Resolved = chosen(p.targets, profile, host)
    source = "the profile's targets" if p.targets else "the defaults of this host"
    note = ""
    try:
        need: int | None = exp.need(p)
    except ExperimentError as exc:
        need, note = None, f"room not checked: {exc}"
    targets = resolved.targets
    if getattr(p, "engine", None) == "ollama" or getattr(p, "backend", None) == "url":
        targets, note = [], "measures the user's server: no placements"
    return {
        "experiment": name,
        "profile": profile,
        "from": source,
        "targets": [target_row(host, t, need, p.share_model) for t in targets],
        "left_out": resolved.left_out,
        "note": note,
    }


def plan(host: Host, profile: str, names: list[str]) -> dict[str, Any]:
    wsl, why = wsl_reason(host)
    return {
        "host": {"wsl": wsl, "why": why, "mount_table": host.table},
        "experiments": [experiment_plan(host, profile, n) for n in names],
    }


def plan_lines(out: dict[str, Any]) -> list[str]:
    """The plan as a reader sees it: per experiment, a block per target."""
    lines = [f"host: {out['host']['why']}"]
    for e in out["experiments"]:
        lines.append(f"{e['experiment']} (profile {e['profile']}, {e['from']}):")
        for t in e["targets"]:
            lines.append(f"  {t['label']:<10} {t['spec']}")
            lines.append(f"  {'':<10} {t['class']}: {t['place']}")
            if t["room"] is not None:
                verdict = "room" if t["room"] else "NO ROOM"
                kept = t["keep_free_bytes"]
                keep = f" and keeps {mib(kept)} free (a share)" if kept else ""
                lines.append(
                    f"  {'':<10} writes {mib(t['need_bytes'])}{keep}, "
                    f"has {mib(t['free_bytes'])}: {verdict}"
                )
            lines.append(f"  {'':<10} why: {t['why']}")
        for label, why in e["left_out"].items():
            lines.append(f"  {label:<10} not measured: {why}")
        if e["note"]:
            lines.append(f"  {e['note']}")
    return lines
