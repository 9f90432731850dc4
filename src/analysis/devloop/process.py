"""Tidy rows from raw dev-loop runs and the published post's figures (reads data/raw only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..places.roles import with_roles
from ..runs import load_manifest

COLUMNS = [
    "source",
    "run_id",
    "host",
    "target",
    "fstype",
    "rep",
    "warmup",
    "metric",
    "side",
    "watch",
    "delivered",
    "timeout_s",
    "unit",
    "value",
]


def tidy_run(run_dir: Path) -> pd.DataFrame:
    m = load_manifest(run_dir)
    rows: list[dict[str, Any]] = []
    for label, t in m.get("targets", {}).items():
        if t.get("status") != "complete":
            continue
        base = {
            "source": "measured",
            "run_id": m["run_id"],
            "host": m["host"]["hostname"],
            "target": label,
            "fstype": t.get("fstype"),
            "rep": 0,
            "warmup": False,  # the dev loop discards nothing: every build and edit is kept
            "side": "",
            "watch": "",
            "delivered": None,
            "timeout_s": None,
        }
        for i, s in enumerate(t.get("builds_s", [])):
            rows.append({**base, "rep": i, "metric": "build_s", "unit": "s", "value": s})
        for e in t.get("edits", []):
            rows.append(
                {
                    **base,
                    "metric": "rebuild_s",
                    "unit": "s",
                    "side": e["side"],
                    "watch": e["watch"],
                    "delivered": e["delivered"],
                    # how long the edit was waited for (runs before it was recorded per edit:
                    # the run's parameter)
                    "timeout_s": e.get("timeout_s", m["parameters"]["change_timeout_s"]),
                    "value": e["rebuild_s"],
                }
            )  # None when the change never arrived
        for key in ("status_cold_s", "status_warm_s", "add_s"):
            value = (t.get("git") or {}).get(key)
            if value is not None:
                rows.append({**base, "metric": f"git_{key}", "unit": "s", "value": value})
    return pd.DataFrame(rows, columns=COLUMNS)


def reference_rows() -> pd.DataFrame:
    """The published post's Jekyll preview: ~110 s build and ~80 s per change on the share
    (events did not cross it: the watcher polled), ~5 s per rebuild inside WSL."""
    ref = json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
    pub = ref["devloop_published"]
    base = {
        "source": "post",
        "run_id": "post",
        "host": ref["host"],
        "side": "placement",
        "rep": 0,
        "warmup": False,
        "timeout_s": None,
        "unit": "s",
    }
    return pd.DataFrame(
        [
            {
                **base,
                "target": "share",
                "fstype": "9p",
                "metric": "build_s",
                "watch": "",
                "delivered": None,
                "value": pub["share_build_s"],
            },
            {
                **base,
                "target": "share",
                "fstype": "9p",
                "metric": "rebuild_s",
                "watch": "polling",
                "delivered": True,
                "value": pub["share_rebuild_s"],
            },
            {
                **base,
                "target": "share",
                "fstype": "9p",
                "metric": "rebuild_s",
                "side": "other",
                "watch": "events",
                "delivered": pub["events_cross_share"],
                "value": None,
            },
            {
                **base,
                "target": "native",
                "fstype": "ext4",
                "metric": "rebuild_s",
                "watch": "events",
                "delivered": True,
                "value": pub["native_rebuild_s"],
            },
        ],
        columns=COLUMNS,
    )


def devloop_table(run_dirs: list[Path], with_reference: bool = True) -> pd.DataFrame:
    frames = [tidy_run(d) for d in run_dirs] + ([reference_rows()] if with_reference else [])
    return with_roles(pd.concat([f for f in frames if not f.empty], ignore_index=True), run_dirs)
