"""Benchmark: the harness's ingest against a bare upsert loop, and the standard profile's ingest.

Targets (issue 3): harness ≥ 90% of a bare loop's records/s on the same engine and data;
40,000 × 1536 records ingested on the edge backend in under a minute.
Usage: uv run python benchmarks/qdrant_ingest.py [--quick]   (exit 1 when a target is missed)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import qdrant_edge as q

from analysis.qdrant.backends import EdgeBackend
from analysis.qdrant.dataset import Dataset
from analysis.qdrant.ingest import dataset_batches, ingest


def bare_loop(storage: Path, ds: Dataset, batches: list) -> float:
    shards = {
        c: q.EdgeShard.create(str(storage / c), EdgeBackend(storage).config(ds.dim))
        for c in ds.collections
    }
    t = time.perf_counter()
    for collection, batch in batches:
        points = [q.Point(r.id, r.vector, r.payload) for r in batch]
        shards[collection].update(q.UpdateOperation.upsert_points(points))
    for s in shards.values():
        s.flush()
    elapsed = time.perf_counter() - t
    for s in shards.values():
        s.close()
    return ds.records / elapsed


def harness(storage: Path, ds: Dataset, batches: list) -> float:
    backend = EdgeBackend(storage)
    backend.open(list(ds.collections), ds.dim, create=True)
    t = time.perf_counter()
    ingest(backend, iter(batches), ds.records, progress=True)
    elapsed = time.perf_counter() - t
    backend.close()
    return ds.records / elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke check")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    n_ratio, n_full = (2000, 4000) if args.quick else (10_000, 40_000)
    work = Path(tempfile.mkdtemp(prefix="wsl-lab-bench-"))
    try:
        ds = Dataset(records=n_ratio, dim=1536)
        batches = list(dataset_batches(ds, 256))
        bare, ours = [], []
        for k in range(args.rounds):  # alternate, so drift on a shared machine hits both
            bare.append(bare_loop(work / f"bare{k}", ds, batches))
            ours.append(harness(work / f"ours{k}", ds, batches))
        ratio = statistics.median(ours) / statistics.median(bare)
        del batches

        full = Dataset(records=n_full, dim=1536)
        backend = EdgeBackend(work / "full")
        backend.open(list(full.collections), full.dim, create=True)
        res = ingest(backend, dataset_batches(full, 256), full.records, progress=True)
        backend.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {
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
