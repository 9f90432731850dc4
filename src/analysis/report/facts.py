"""What the post says of every run: the hosts, and the post's own reference figures
(each experiment's numbers come from its summary.post_facts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import paths
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


def reference() -> dict[str, Any]:
    return json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
