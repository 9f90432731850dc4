"""One experiment run at a profile (with overrides) on this machine's default places, into a
folder of the benchmark's own (never data/raw), and its headline ratios: what the
convergence study and the default-vs-standard check both measure."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from analysis.experiments import get
from analysis.headlines import ratios

# the headlines' measurements only: Bonnie++ (fio gives the disk's headlines) and the dev
# loop's watch (no headline) are left out of both sides of every comparison
HEADLINES_ONLY: dict[str, dict[str, Any]] = {
    "disk": {"tools": ("fio",)},
    "devloop": {"watch": (), "sides": ()},
    "qdrant": {"progress": False},
}


def measure(
    experiment: str, profile: str, overrides: dict[str, Any], root: Path
) -> dict[str, Any]:
    """Run it; its id, status, wall seconds and headline ratios (native vs share)."""
    exp = get(experiment)
    params = exp.load(profile, **{**HEADLINES_ONLY.get(experiment, {}), **overrides})
    started = time.perf_counter()
    run = exp.runner(params, root=root, say=lambda line: print(f"  {line}", flush=True))
    seconds = time.perf_counter() - started
    return {
        "experiment": experiment,
        "profile": profile,
        "step": overrides,
        "run_id": run.run_id,
        "status": run.manifest["status"],
        "seconds": round(seconds, 1),
        "ratios": ratios(exp.table([run.path]), experiment, "native", "share"),
    }
