"""Convergence study: each headline's native-vs-share ratio against size, up to `standard`'s.

For each experiment, the real experiment runs at a ladder of sizes (the standard profile's
other parameters, one repetition set each) on this machine's default places, into a study
folder of its own (never data/raw). Each headline's ratio is read from the run's tidy table by
the same code the report uses (`analysis.headlines`). A headline has converged at the smallest
size from which every larger size's ratio is within ±25% of the largest size's. The results
accumulate in benchmarks/results/convergence.json (one entry per experiment and size, with the
run's wall time), and the figure benchmarks/results/convergence.png shows ratio against size,
one panel per headline, with the ±25% band around the largest size's ratio.

Usage: uv run python benchmarks/convergence.py [--experiment E ...] [--plot-only]
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from headline_run import measure  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.headlines import HEADLINES  # noqa: E402
from analysis.hostinfo import hostname  # noqa: E402

RESULTS = Path(__file__).with_name("results")
STEPS = RESULTS / "convergence"  # one file per experiment: studies may run side by side
OUT = RESULTS / "convergence.json"  # every entry, and each headline's finding
FIGURE = RESULTS / "convergence.png"
TOLERANCE = 0.25
BASE = "standard"

# the ladder: per experiment, the overrides of each step, smallest first; the last is the
# standard profile's own size. Repetitions are the standard's (cold starts, builds) or one
# tool run (disk), so that a step's ratio is what a run of that size would publish.
LADDERS: dict[str, list[dict[str, Any]]] = {
    "qdrant": [{"records": n} for n in (2000, 5000, 10000, 20000, 40000)],
    "disk": [
        {"fio": {"runtime_s": t, "size_mib": s, "nrfiles": f, "published_runtime_s": r}}
        for t, s, f, r in (
            (1, 16, 1000, 3),
            (2, 32, 2000, 5),
            (3, 64, 3000, 10),
            (5, 128, 5000, 20),
            (10, 256, 10000, 30),
        )
    ],
    "devloop": [{"posts": n} for n in (15, 50, 150, 500)],
    "llm": [{"prompts": 2, "max_tokens": 16}, {"prompts": 5, "max_tokens": 64}],
}
FIXED: dict[str, dict[str, Any]] = {
    "disk": {"reps": 1, "warmup": 0},
    "qdrant": {"reps": 3, "warmup": 1},
    "devloop": {"reps": 1},
    "llm": {"reps": 3},
}


def size_of(step: dict[str, Any], key: str) -> float | None:
    """The value of a dotted key (`fio.runtime_s`) in a step's overrides, else None."""
    node: Any = step
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def load() -> dict[str, Any]:
    """Every experiment's entries, from its own file."""
    entries, hosts = [], set()
    for f in sorted(STEPS.glob("*.json")):
        part = json.loads(f.read_text())
        entries += part["entries"]
        hosts.add(part["host"])
    return {"host": ", ".join(sorted(hosts)) or hostname(), "entries": entries}


def converged_at(points: list[tuple[float, float]]) -> float | None:
    """The smallest size from which every ratio is within ±25% of the largest size's."""
    if len(points) < 2:
        return None
    points = sorted(points)
    last = points[-1][1]
    at = points[-1][0]
    for size, r in reversed(points):
        if abs(r / last - 1) > TOLERANCE:
            break
        at = size
    return at


def findings(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Per headline: its points (its own size key's value in each step) and where it
    converged. A headline without a size key is measured at one size only: its points are
    the steps in order."""
    out = []
    for h in HEADLINES:
        mine = [e for e in data["entries"] if e["experiment"] == h.experiment]
        pts = [
            (size_of(e["step"], h.size) if h.size else i + 1, e["ratios"].get(h.key))
            for i, e in enumerate(mine)
        ]
        pts = sorted((s, r) for s, r in pts if s is not None and r is not None)
        out.append(
            {
                "headline": h.key,
                "label": h.label,
                "size_key": h.size or "step",
                "points": pts,
                "converged_at": converged_at(pts),
            }
        )
    return out


def plot(found: list[dict[str, Any]], host: str) -> None:
    shown = [f for f in found if f["points"]]
    cols = 4
    rows = -(-len(shown) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.2 * rows), squeeze=False)
    for ax, f in zip(axes.flat, shown, strict=False):
        xs, ys = zip(*f["points"], strict=True)
        ax.plot(xs, ys, marker="o", color="#c0392b")
        last = ys[-1]
        ax.axhspan(last * (1 - TOLERANCE), last * (1 + TOLERANCE), color="#999", alpha=0.2)
        if f["converged_at"] is not None:
            ax.axvline(f["converged_at"], color="#555", linestyle=":")
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks(xs, [f"{x:,g}" for x in xs], fontsize=8)
        ax.set_title(f["label"], fontsize=10)
        ax.set_xlabel(f["size_key"] or "size")
        ax.set_ylabel("share / native (×)")
        ax.set_ylim(bottom=0)
    for ax in list(axes.flat)[len(shown) :]:
        ax.axis("off")
    fig.suptitle(
        f"Native-vs-share ratio against size ({host}, simulated share; band: ±25% of the "
        "largest size; dotted: converged from)",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(FIGURE, dpi=110, bbox_inches="tight")
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experiment", action="append", choices=sorted(LADDERS))
    ap.add_argument("--plot-only", action="store_true")
    args = ap.parse_args()
    STEPS.mkdir(parents=True, exist_ok=True)
    if not args.plot_only:
        root = paths.cache_home() / "convergence"
        for experiment in args.experiment or list(LADDERS):
            part: dict[str, Any] = {"host": hostname(), "entries": []}
            for step in LADDERS[experiment]:
                print(f"{experiment}: {step}", flush=True)
                fixed = {**FIXED.get(experiment, {}), **step}
                part["entries"].append({**measure(experiment, BASE, fixed, root), "step": step})
                # nothing measured is lost: written after every step
                (STEPS / f"{experiment}.json").write_text(json.dumps(part, indent=1) + "\n")
            shutil.rmtree(root / experiment, ignore_errors=True)
    data = load()
    found = findings(data)
    data["findings"] = found
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    plot(found, data.get("host", hostname()))
    for f in found:
        pts = ", ".join(f"{s:g}: {r:.1f}×" for s, r in f["points"])
        print(f"{f['label']:28} converged at {f['converged_at']}  ({pts})")


if __name__ == "__main__":
    main()
