"""Ingest: batched upserts timed one by one; how long until the last record is searchable."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import numpy as np
from tqdm import tqdm

from .backends import Backend
from .dataset import Dataset, Record

Batches = Iterable[tuple[str, list[Record]]]


def dataset_batches(ds: Dataset, batch_size: int, embedder: Any = None) -> Batches:
    """Every collection's records in batches; with an embedder, vectors come from the server."""
    for collection in ds.collections:
        for batch in ds.batches(collection, batch_size):
            yield collection, embedder.apply(batch) if embedder else batch


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    p = np.percentile(np.asarray(values), [50, 95, 99])
    return {"p50": float(p[0]), "p95": float(p[1]), "p99": float(p[2])}


def ingest(
    backend: Backend, batches: Batches, total: int, progress: bool = True, label: str = ""
) -> dict[str, Any]:
    """Upsert every batch; engine time (upserts + flush) is what records/s is computed from."""
    latencies: list[float] = []
    last: tuple[str, Record] | None = None
    wall = time.perf_counter()
    with tqdm(
        total=total,
        unit="rec",
        disable=not progress,
        desc=f"ingest {label}".strip(),
        leave=False,
        mininterval=0.5,
    ) as bar:
        for collection, batch in batches:
            t = time.perf_counter()
            backend.upsert(collection, batch)
            latencies.append(time.perf_counter() - t)
            bar.update(len(batch))
            last = (collection, batch[-1])
    t = time.perf_counter()
    backend.flush()
    flush_s = time.perf_counter() - t
    wall_s = time.perf_counter() - wall
    searchable_s = until_searchable(backend, *last) if last else None
    engine_s = sum(latencies) + flush_s
    return {
        "records": total,
        "batches": len(latencies),
        "upsert_s": sum(latencies),
        "flush_s": flush_s,
        "ingest_s": engine_s,
        "wall_s": wall_s,
        "records_per_s": total / engine_s if engine_s > 0 else None,
        "batch_latency_s": percentiles(latencies),
        "searchable_s": searchable_s,
        "batch_latencies_s": latencies,
    }


def until_searchable(
    backend: Backend, collection: str, record: Record, timeout: float = 60, interval: float = 0.005
) -> float | None:
    """Seconds until a nearest-neighbour query for the last record returns it (None: never)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if record.id in backend.nearest(collection, record.vector, limit=1):
            return time.perf_counter() - started
        time.sleep(interval)
    return None
