"""Benchmark: the harness's whole ingest against an independent baseline, and a full ingest.

The baseline (benchmarks/qdrant_bare.py) shares no code with wsl-lab: it drives qdrant_edge
itself with vectors and payloads built before its clock starts, in its own interpreter. The
harness is timed whole: dataset generation, batching, progress, upserts and flush.
Targets (issues 3, 10): harness ≥ 90% of the baseline's records/s; 40,000 × 1536 records
ingested on the edge backend in under a minute.
Usage: uv run python benchmarks/qdrant_ingest.py [--quick]   (exit 1 when a target is missed)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.qdrant.backends import EdgeBackend
from analysis.qdrant.dataset import Dataset
from analysis.qdrant.ingest import dataset_batches, ingest

BARE = Path(__file__).with_name("qdrant_bare.py")
BATCH = 256


def bare_loop(storage: Path, ds: Dataset) -> float:
    """The independent baseline, in a fresh interpreter; its own records/s."""
    done = subprocess.run(
        [
            sys.executable,
            str(BARE),
            str(storage),
            "--records",
            str(ds.records),
            "--dim",
            str(ds.dim),
            "--batch",
            str(BATCH),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(done.stdout)["records_per_s"])


def harness(storage: Path, ds: Dataset) -> float:
    """wsl-lab's ingest, timed whole: the dataset is generated inside the clock."""
    backend = EdgeBackend(storage)
    backend.open(list(ds.collections), ds.dim, create=True)
    t = time.perf_counter()
    ingest(backend, dataset_batches(ds, BATCH), ds.records, progress=True)
    elapsed = time.perf_counter() - t
    backend.close()
    return ds.records / elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke check")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    n_ratio, n_full = (2000, 4000) if args.quick else (10_000, 40_000)
    work = Path(tempfile.mkdtemp(prefix="wsl-lab-bench-"))
    try:
        ds = Dataset(records=n_ratio, dim=1536)
        bare, ours = [], []
        for k in range(args.rounds):  # alternate, so drift on a shared machine hits both
            bare.append(bare_loop(work / f"bare{k}", ds))
            ours.append(harness(work / f"ours{k}", ds))
        ratio = statistics.median(ours) / statistics.median(bare)

        full = Dataset(records=n_full, dim=1536)
        backend = EdgeBackend(work / "full")
        backend.open(list(full.collections), full.dim, create=True)
        res = ingest(backend, dataset_batches(full, 256), full.records, progress=True)
        backend.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "baseline": "benchmarks/qdrant_bare.py (qdrant_edge + numpy only, pre-built points)",
        "bare_records_per_s": statistics.median(bare),
        "harness_records_per_s": statistics.median(ours),
        "harness_vs_bare": ratio,
        "ratio_target": 0.9,
        "full_records": n_full,
        "full_wall_s": res["wall_s"],
        "full_ingest_s": res["ingest_s"],
        "full_target_s": 60,
    }
    print(json.dumps(report, indent=2))
    ok = ratio >= 0.9 and res["wall_s"] < 60
    print("PASS" if ok else "FAIL: a target was missed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
