"""What the post says of every run: the hosts, and the post's own reference figures
(each experiment's numbers come from its summary.post_facts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import paths
from ..places.classify import CROSS_OS, NATIVE, NETWORK, SIMULATED, UNKNOWN
from ..places.record import recorded_place
from ..runs import load_manifest


def host_facts(run_dirs: list[Path]) -> dict[str, dict[str, Any]]:
    hosts: dict[str, dict[str, Any]] = {}
    for d in run_dirs:
        m = load_manifest(d)
        h = m["host"]
        entry = hosts.setdefault(h["hostname"], {**h, "runs": [], "tools": {}})
        entry["runs"].append(
            {
                "experiment": m["experiment"],
                "run_id": m["run_id"],
                "profile": m["parameters"].get("profile"),
                "reps": m["parameters"].get("reps"),
                "started_utc": m["started_utc"],
            }
        )
        entry["tools"].update({k: v for k, v in (m.get("tools") or {}).items() if v})
    return hosts


def place_facts(run_dirs: list[Path]) -> list[dict[str, Any]]:
    """Each host's measured places, named by their mount facts ("9p drvfs `C:\\temp`
    (virtio, msize 262144)", "simulated share `fuse.wsl-lab`, model wsl2-9p"), once each."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for d in run_dirs:
        m = load_manifest(d)
        for label, t in (m.get("targets") or {}).items():
            if not t.get("fstype"):
                continue  # failed before it was placed: its own line says why
            place = recorded_place(t)
            where = (t.get("spec") or "").partition("=")[2] or t.get("real_path") or "?"
            key = (m["host"]["hostname"], label, place.describe())
            row = rows.setdefault(
                key,
                {"host": key[0], "target": label, "place": key[2], "cls": place.cls,
                 "path": where, "experiments": [], "fstype": t.get("fstype"),
                 "model": t.get("share_model") if place.cls == SIMULATED else None},
            )  # fmt: skip
            if m["experiment"] not in row["experiments"]:
                row["experiments"].append(m["experiment"])
    # per host, the real places first (native, then the Windows drive), the simulation last
    hosts = list(dict.fromkeys(r["host"] for r in rows.values()))
    rank = {c: i for i, c in enumerate((NATIVE, CROSS_OS, NETWORK, UNKNOWN, SIMULATED))}
    return sorted(rows.values(), key=lambda r: (hosts.index(r["host"]), rank.get(r["cls"], 9)))


def reference() -> dict[str, Any]:
    return json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
