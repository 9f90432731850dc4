"""Benchmark: `make report` on 50 runs' worth of raw data finishes in under 30 s (issue 5).

Builds a data/raw of 50 runs from the committed sample runs (three experiments), each from a
host of its own so that every run is shown (the report shows the latest run per host), then
times the whole report: checksum verification of every run, processed tables, figures, the
post. It fails unless all 50 runs reach the processed tables.
Usage: uv run python benchmarks/report_build.py   (exit 1 when the target is missed)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.pipeline import build_report

RUNS = 50


def make_raw(root: Path, runs: int = 50, hosts: int = 50) -> None:
    samples = sorted((paths.SAMPLE / "raw").glob("*/*/manifest.json"))
    for i in range(runs):
        src = samples[i % len(samples)].parent
        host = f"host{i % hosts:02d}"
        run_id = f"2026010{1 + i // 30}T{i % 24:02d}0000Z-{host}-bench{i:02d}"
        dst = root / src.parent.name / run_id
        shutil.copytree(src, dst)
        m = json.loads((dst / "manifest.json").read_text())
        m["run_id"], m["host"]["hostname"] = run_id, host
        m["started_utc"] = f"2026-01-01T00:{i:02d}:00+00:00"
        (dst / "manifest.json").write_text(json.dumps(m))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        make_raw(raw, RUNS, RUNS)
        t = time.perf_counter()
        out = build_report(
            raw,
            day=date(2026, 1, 1),
            say=lambda s: None,
            reports=Path(tmp) / "reports",
            processed=Path(tmp) / "processed",
        )
        elapsed = time.perf_counter() - t
        shown = {k: len(v) for k, v in out["runs"].items()}
        in_tables = sum(
            pd.read_csv(p)["run_id"].drop_duplicates().str.contains("-bench").sum()
            for p in (Path(tmp) / "processed").glob("*.csv")
        )
    report = {
        "runs": RUNS,
        "runs_shown": shown,
        "runs_in_tables": int(in_tables),
        "seconds": elapsed,
        "target_s": 30,
    }
    print(json.dumps(report, indent=2))
    ok = elapsed < 30 and sum(shown.values()) == RUNS and in_tables == RUNS
    print("PASS" if ok else "FAIL: the target was missed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
