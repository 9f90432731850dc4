"""Cold start of the embedded engine, in a fresh process: load every shard, answer one query.

Run as `python -m analysis.qdrant.coldstart SPEC_JSON`; prints one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..cache import make_cold
from ..errors import ExperimentError
from ..share.mount import served_now, served_since
from .backends import EdgeBackend  # code from the venv, not storage: timed apart
from .dataset import Dataset
from .embed import OllamaEmbedder
from .integrity import check


def measure(storage: Path, ds: Dataset, sample: int, embed: dict | None = None) -> dict[str, Any]:
    t_import = time.perf_counter()

    backend = EdgeBackend(storage)
    import_s = time.perf_counter() - t_import
    before = _reads()
    t0 = time.perf_counter()
    loads = []
    for name in ds.collections:
        t = time.perf_counter()
        backend.open_one(name, ds.dim, create=False)
        loads.append({"name": name, "start_s": t - t0, "load_s": time.perf_counter() - t})
    first = ds.record(ds.collections[0], 0)
    if embed:  # the query needs a vector of the collection's dimension: reuse a stored one
        stored = backend.retrieve(ds.collections[0], [first.id])
        first = type(first)(first.id, stored[first.id][0], first.payload) if stored else first
    t = time.perf_counter()
    hits = backend.nearest(ds.collections[0], first.vector, limit=1)
    query_s = time.perf_counter() - t
    ready_s = time.perf_counter() - t0
    after = _reads()
    how_read = {k: after[k] - before[k] for k in before}

    embedder = None
    if embed:
        embedder = OllamaEmbedder(embed["host"], embed["model"])
    integrity = check(backend, ds, sample, embedder)
    backend.close()
    return {
        "pid": os.getpid(),
        "import_s": import_s,
        "collections": loads,
        "query_s": query_s,
        "first_query_hit": first.id in hits,
        "ready_s": ready_s,
        "how_read": how_read,
        "integrity": integrity,
    }


def _reads() -> dict[str, int]:
    """How this process has read so far: page faults that waited for I/O (an mmap'd file
    read at its first touch) and read() calls with their bytes (every thread's)."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    io = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return {
        "major_faults": use.ru_majflt,
        "read_calls": int(io["syscr"]),
        "read_bytes": int(io["rchar"]),
    }


def cold_start(
    storage: Path,
    ds: Dataset,
    sample: int,
    out: Path,
    timeout: float = 600,
    embedder: Any = None,
    backing: Path | None = None,
) -> dict:
    """Make storage cold (and the files behind a share), check it, then measure in a fresh
    interpreter; its JSON saved to out."""
    cold = make_cold([storage], [backing] if backing else None)
    served_before = served_now(storage)
    embed = {"host": embedder.host, "model": embedder.model} if embedder else None
    spec = json.dumps(
        {"storage": str(storage), "dataset": asdict(ds), "sample": sample, "embed": embed}
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "analysis.qdrant.coldstart", spec],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise ExperimentError(f"cold start did not finish within {timeout:.0f} s") from None
    out.write_text(done.stdout)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise ExperimentError(f"cold start failed: {tail[0]}")
    result = json.loads(done.stdout)
    result.update(cold)
    result["share_requests"] = served_since(served_before, served_now(storage))
    return result


def main(argv: list[str]) -> None:
    spec = json.loads(argv[0])
    ds_fields = spec["dataset"]
    ds_fields["collections"] = tuple(ds_fields["collections"])
    result = measure(
        Path(spec["storage"]), Dataset(**ds_fields), int(spec["sample"]), spec.get("embed")
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
