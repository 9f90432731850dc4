"""After every cold start: are all points there, and do sampled ones match the dataset?"""

from __future__ import annotations

from typing import Any

import numpy as np

from .backends import Backend
from .dataset import Dataset

TOLERANCE = 1e-4  # stored float32 vectors, compared with the regenerated ones


def check(backend: Backend, ds: Dataset, sample: int, embedder: Any = None) -> dict[str, Any]:
    """Point counts per collection and a sample of vectors and payloads; ok only if all match."""
    result: dict[str, Any] = {"ok": True, "collections": {}}
    for name, expected in ds.sizes().items():
        count = backend.count(name)
        idx = ds.sample_indices(name, sample)
        wanted = [ds.record(name, i) for i in idx]
        if embedder and wanted:
            wanted = embedder.apply(wanted)  # the same model embeds the same text again
        got = backend.retrieve(name, [r.id for r in wanted])
        missing = [r.id for r in wanted if r.id not in got]
        bad_vec = [r.id for r in wanted if r.id in got and not _close(got[r.id][0], r.vector)]
        bad_payload = [r.id for r in wanted if r.id in got and got[r.id][1] != r.payload]
        ok = count == expected and not (missing or bad_vec or bad_payload)
        result["collections"][name] = {
            "expected": expected,
            "count": count,
            "sampled": len(wanted),
            "missing": len(missing),
            "vector_mismatch": len(bad_vec),
            "payload_mismatch": len(bad_payload),
            "ok": ok,
        }
        result["ok"] = result["ok"] and ok
    return result


def _close(a: list[float], b: list[float]) -> bool:
    """Equal up to float32 rounding, after the normalisation Cosine collections apply."""
    if len(a) != len(b):
        return False
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    nx, ny = np.linalg.norm(x), np.linalg.norm(y)
    return bool(nx and ny and np.allclose(x / nx, y / ny, atol=TOLERANCE))


def describe_loss(integrity: dict[str, Any]) -> str:
    """One line naming what was lost, for the CLI and the report."""
    bad = {k: v for k, v in integrity["collections"].items() if not v["ok"]}
    parts = [
        f"{k}: {v['count']}/{v['expected']} points, {v['missing']} sampled missing, "
        f"{v['vector_mismatch']} vectors and {v['payload_mismatch']} payloads differ"
        for k, v in bad.items()
    ]
    return "DATA LOSS: " + "; ".join(parts) if parts else "integrity OK"
