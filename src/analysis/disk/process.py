"""Tidy tables from raw disk runs and the post's reference rows (pure: reads data/raw only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..places.roles import with_roles
from ..runs import load_manifest
from . import bonnie, fio
from .params import FioParams

COLUMNS = [
    "source",
    "run_id",
    "host",
    "target",
    "fstype",
    "rep",
    "warmup",
    "tool",
    "cache",
    "metric",
    "unit",
    "value",
    "too_fast",
    "lower_bound",
    "cpu_pct",
    "latency_us",
]
CACHES = fio.caches(FioParams(published_job=True))  # each job's cache condition, by name
# fio quantities, as (row key, metric suffix, unit, a rate over the job's runtime)
FIO_QUANTITIES = (
    ("bw_kib_s", "bw", "KiB/s", True),
    ("iops", "iops", "/s", True),
    ("clat_p50_us", "clat_p50", "us", False),
    ("clat_p99_us", "clat_p99", "us", False),
)


def bonnie_rows(path: Path, base: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **base,
            "tool": "bonnie",
            "cache": None,
            "metric": r["metric"],
            "unit": r["unit"],
            "value": r["value"],
            "too_fast": r["too_fast"],
            "lower_bound": r["lower_bound"],
            "cpu_pct": r["cpu_pct"],
            "latency_us": r["latency_us"],
        }
        for r in bonnie.parse_file(path)
    ]


def fio_rows(
    path: Path, base: dict[str, Any], caches: dict[str, str] = CACHES
) -> list[dict[str, Any]]:
    """One row per job, direction and quantity; a rate from a job shorter than fio can time
    is kept as its lower bound (`lower_bound`), with no value."""
    rows = []
    for r in fio.parse_file(path):
        short = (r["runtime_ms"] or 0) < fio.MIN_TIMED_MS
        for key, suffix, unit, rate in FIO_QUANTITIES:
            bound = rate and short
            rows.append(
                {
                    **base,
                    "tool": "fio",
                    "cache": caches.get(r["job"]),
                    "metric": f"{r['job']}.{r['direction']}.{suffix}",
                    "unit": unit,
                    "value": None if bound else r[key],
                    "too_fast": bound,
                    "lower_bound": r[key] if bound else None,
                    "cpu_pct": None,
                    "latency_us": None,
                }
            )
    return rows


def tidy_run(run_dir: Path) -> pd.DataFrame:
    """One row per target × repetition × metric of one run; failed tool runs are left out."""
    m = load_manifest(run_dir)
    rows: list[dict[str, Any]] = []
    for label, t in m.get("targets", {}).items():
        for res in t.get("results", []):
            if res.get("status") != "complete":
                continue
            base = {
                "source": "measured",
                "run_id": m["run_id"],
                "host": m["host"]["hostname"],
                "target": label,
                "fstype": t.get("fstype"),
                "rep": res["rep"],
                "warmup": res.get("warmup", False),
            }
            if res["tool"] == "bonnie":
                rows += bonnie_rows(run_dir / label / f"bonnie-{res['rep']}.out", base)
            else:
                rows += fio_rows(run_dir / label / f"fio-{res['rep']}.json", base, CACHES)
    return pd.DataFrame(rows, columns=COLUMNS)


def reference_rows() -> pd.DataFrame:
    """The post's two Bonnie++ runs, parsed by the same code."""
    meta = json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for item in meta["bonnie"]:
        base = {
            "source": "post",
            "run_id": "post",
            "host": meta["host"],
            "target": item["target"],
            "fstype": item["fstype"],
            "rep": "r1",
            "warmup": False,
        }
        rows += bonnie_rows(paths.REFERENCE / item["file"], base)
    return pd.DataFrame(rows, columns=COLUMNS)


def disk_table(run_dirs: list[Path], with_reference: bool = True) -> pd.DataFrame:
    frames = [tidy_run(d) for d in run_dirs]
    if with_reference:
        frames.append(reference_rows())
    return with_roles(pd.concat(frames, ignore_index=True), run_dirs)
