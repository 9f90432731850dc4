"""The baseline for the ingest benchmark: qdrant-edge driven directly, nothing of wsl-lab's.

It imports only qdrant_edge, numpy and the standard library, builds every vector and payload
before the clock starts, then upserts batch by batch into one shard per collection and flushes.
Prints one JSON object: records, seconds, records_per_s.
Usage: python benchmarks/qdrant_bare.py STORAGE_DIR --records N --dim D [--batch 256]
"""

from __future__ import annotations

import argparse
import json
import time
import uuid

import numpy as np
import qdrant_edge as q

# the post's six collections, by their load times on /mnt/c (its Qdrant log): the share of
# the records each shard gets, as the harness's dataset spreads them
WEIGHTS = (5.96, 11.54, 32.20, 5.41, 5.92, 5.16)
COLLECTIONS = len(WEIGHTS)


def kernel_memory_payload(point_id: str, i: int, text: str) -> dict:
    """A payload of the shape Kernel Memory stores (the same keys and sizes as the harness's),
    written here from its documented shape, not taken from wsl-lab."""
    doc, part = i // 8, i % 8
    return {
        "id": point_id,
        "tags": [
            f"__document_id:doc-{doc:05d}",
            f"__file_id:file-{doc:05d}",
            f"__file_part:{part}",
            f"__part_n:{part}",
            "__sect_n:0",
            "__file_type:text/markdown",
            "collection:bench",
        ],
        "payload": {
            "file": f"doc-{doc:05d}.md",
            "text": text,
            "vector_provider": "bench",
            "vector_generator": "numpy",
            "last_update": "2024-11-11T15:15:41Z",
        },
        "document_id": f"doc-{doc:05d}",
        "partition": part,
    }


def prebuilt(records: int, dim: int, batch: int) -> list[tuple[int, list, np.ndarray, list]]:
    """(shard, ids, vectors, payloads) batches: arrays made before timing starts."""
    rng = np.random.default_rng(12345)
    vectors = rng.standard_normal((records, dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    # a distinct 1,000-character text per record (the same text everywhere would store less)
    words = np.array("alpha beta gamma delta epsilon zeta theta kappa lambda sigma".split())
    picks = words[rng.integers(len(words), size=(records, 200))]
    texts = [" ".join(row)[:1000] for row in picks.tolist()]
    out = []
    bounds = np.round(np.cumsum((0,) + WEIGHTS) / sum(WEIGHTS) * records).astype(int)
    for shard in range(COLLECTIONS):
        lo, hi = int(bounds[shard]), int(bounds[shard + 1])
        for start in range(lo, hi, batch):
            rows = range(start, min(hi, start + batch))
            ids = [str(uuid.UUID(int=i + 1)) for i in rows]
            payloads = [kernel_memory_payload(ids[k], i, texts[i]) for k, i in enumerate(rows)]
            out.append((shard, ids, vectors[rows.start : rows.stop], payloads))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("storage")
    ap.add_argument("--records", type=int, required=True)
    ap.add_argument("--dim", type=int, required=True)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    config = q.EdgeConfig(vectors=q.EdgeVectorParams(size=args.dim, distance=q.Distance.Cosine))
    shards = [q.EdgeShard.create(f"{args.storage}/s{k}", config) for k in range(COLLECTIONS)]
    batches = prebuilt(args.records, args.dim, args.batch)
    started = time.perf_counter()
    for shard, ids, vectors, payloads in batches:
        # the API takes Python lists and Point objects: converting is part of any ingest
        points = [
            q.Point(i, v, p) for i, v, p in zip(ids, vectors.tolist(), payloads, strict=True)
        ]
        shards[shard].update(q.UpdateOperation.upsert_points(points))
    for s in shards:
        s.flush()
    seconds = time.perf_counter() - started
    for s in shards:
        s.close()
    print(
        json.dumps(
            {"records": args.records, "seconds": seconds, "records_per_s": args.records / seconds}
        )
    )


if __name__ == "__main__":
    main()
