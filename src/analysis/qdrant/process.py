"""Tidy tables from raw Qdrant runs and the post's logs (pure: reads data/raw only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..places.roles import with_roles
from ..runs import load_manifest
from .logs import read_startup

COLUMNS = [
    "source",
    "run_id",
    "host",
    "backend",
    "target",
    "fstype",
    "rep",
    "warmup",
    "collection",
    "metric",
    "unit",
    "value",
]


def _rows_for_target(m: dict, label: str, t: dict, run_dir: Path) -> list[dict[str, Any]]:
    base = {
        "source": "measured",
        "run_id": m["run_id"],
        "host": m["host"]["hostname"],
        "backend": m["parameters"]["backend"],
        "target": label,
        "fstype": t.get("fstype"),
        "rep": "",
        "warmup": False,
        "collection": "",
    }
    rows = []
    ing = t.get("ingest") or {}
    for metric, unit, value in (
        ("ingest_records_per_s", "/s", ing.get("records_per_s")),
        ("ingest_s", "s", ing.get("ingest_s")),
        ("batch_p50_s", "s", (ing.get("batch_latency_s") or {}).get("p50")),
        ("batch_p95_s", "s", (ing.get("batch_latency_s") or {}).get("p95")),
        ("batch_p99_s", "s", (ing.get("batch_latency_s") or {}).get("p99")),
        ("searchable_s", "s", ing.get("searchable_s")),
        ("storage_bytes", "B", (t.get("footprint") or {}).get("bytes")),
        ("storage_files", "files", (t.get("footprint") or {}).get("files")),
        ("storage_dirs", "dirs", (t.get("footprint") or {}).get("dirs")),
    ):
        if value is not None:
            rows.append({**base, "metric": metric, "unit": unit, "value": float(value)})
    for cs in t.get("cold_starts", []):
        rep = {**base, "rep": cs["rep"], "warmup": cs["warmup"]}
        # a start whose files were still cached is a warm start, and is named so
        kind = "cold_start_s" if cs.get("cold", True) else "warm_start_s"
        rows.append({**rep, "metric": kind, "unit": "s", "value": cs["ready_s"]})
        if cs.get("resident_pct") is not None:
            rows.append(
                {**rep, "metric": "resident_pct", "unit": "%", "value": cs["resident_pct"]}
            )
        rows.append(
            {**rep, "metric": "integrity_ok", "unit": "bool", "value": float(cs["integrity_ok"])}
        )
        rows += [{**rep, **r} for r in _how_read(cs, t.get("share_parameters") or {})]
        raw = json.loads((run_dir / label / f"coldstart-{cs['rep']}.json").read_text())
        loads = raw.get("collections") or (raw.get("log_summary") or {}).get("collections", [])
        for c in loads:
            for metric in ("start_s", "load_s"):
                if c.get(metric) is not None:
                    rows.append(
                        {
                            **rep,
                            "collection": c["name"],
                            "metric": f"collection_{metric}",
                            "unit": "s",
                            "value": c[metric],
                        }
                    )
        if "log_summary" in raw and raw["log_summary"]["total_s"] is not None:
            rows.append(
                {
                    **rep,
                    "metric": "cold_start_log_s",
                    "unit": "s",
                    "value": raw["log_summary"]["total_s"],
                }
            )
    return rows


def _how_read(cs: dict, model: dict) -> list[dict[str, Any]]:
    """How one start read its storage: the engine's page faults and read() calls and, on our
    share, the requests the layer got per kind, and what the model's service times make of
    them (none of it where it was not measured)."""
    how = cs.get("how_read") or {}
    rows = [
        {"metric": metric, "unit": unit, "value": float(how[key])}
        for key, metric, unit in (
            ("major_faults", "major_faults", "faults"),
            ("read_calls", "read_calls", "calls"),
            ("read_bytes", "read_bytes", "B"),
        )
        if how.get(key) is not None
    ]
    served = cs.get("share_requests") or {}
    for kind, c in served.items():
        rows.append(
            {"metric": f"share_{kind}_requests", "unit": "requests", "value": float(c["requests"])}
        )
        if c.get("mean_request_kib") is not None:  # as the share's count gives it
            rows.append(
                {"metric": f"share_{kind}_kib", "unit": "KiB", "value": c["mean_request_kib"]}
            )
    times = {k: model.get(f"{k}_service_us") for k in served}
    if served and all(v is not None for v in times.values()):
        service_s = sum(c["requests"] * times[k] for k, c in served.items()) / 1e6
        rows.append({"metric": "share_service_s", "unit": "s", "value": service_s})
    return rows


def tidy_run(run_dir: Path) -> pd.DataFrame:
    m = load_manifest(run_dir)
    rows: list[dict[str, Any]] = []
    for label, t in m.get("targets", {}).items():
        if t.get("status") == "complete":
            rows += _rows_for_target(m, label, t, run_dir)
    return pd.DataFrame(rows, columns=COLUMNS)


def reference_rows() -> pd.DataFrame:
    """The post's two startup logs, read by the same reader, plus the published figures."""
    meta = json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for item in meta["qdrant"]:
        s = read_startup(paths.REFERENCE / item["file"])
        base = {
            "source": "post",
            "run_id": "post",
            "host": meta["host"],
            "backend": "docker",
            "target": item["target"],
            "fstype": "9p" if item["target"] == "share" else "ext4",
            "rep": "r1",
            "warmup": False,
            "collection": "",
        }
        rows.append({**base, "metric": "cold_start_s", "unit": "s", "value": s["total_s"]})
        for c in s["collections"]:
            for metric in ("start_s", "load_s"):
                rows.append(
                    {
                        **base,
                        "collection": c["name"],
                        "metric": f"collection_{metric}",
                        "unit": "s",
                        "value": c[metric],
                    }
                )
    pub = meta["qdrant_published"]
    for target, key in (("share", "share_s"), ("native", "native_s")):
        rows.append(
            {
                "source": "post (published)",
                "run_id": "post-published",
                "host": meta["host"],
                "backend": "docker",
                "target": target,
                "fstype": "9p" if target == "share" else "ext4",
                "rep": "r1",
                "warmup": False,
                "collection": "",
                "metric": "cold_start_s",
                "unit": "s",
                "value": pub[key],
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def qdrant_table(run_dirs: list[Path], with_reference: bool = True) -> pd.DataFrame:
    frames = [tidy_run(d) for d in run_dirs]
    if with_reference:
        frames.append(reference_rows())
    return with_roles(pd.concat(frames, ignore_index=True), run_dirs)


def batch_latencies(run_dirs: list[Path]) -> pd.DataFrame:
    """Every batch's upsert latency, per run and target (from the raw ingest.json)."""
    rows = []
    for d in run_dirs:
        m = load_manifest(d)
        for label, t in m.get("targets", {}).items():
            f = d / label / "ingest.json"
            if t.get("status") == "complete" and f.is_file():
                for v in json.loads(f.read_text())["batch_latencies_s"]:
                    rows.append(
                        {
                            "run_id": m["run_id"],
                            "host": m["host"]["hostname"],
                            "target": label,
                            "latency_s": v,
                        }
                    )
    return pd.DataFrame(rows, columns=["run_id", "host", "target", "latency_s"])
