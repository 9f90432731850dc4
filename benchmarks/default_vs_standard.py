"""Benchmark: the default profile's headline ratios against the standard profile's, measured
one after the other on this machine (default first, then standard, per experiment).

Each headline's pair is printed with whether the default's ratio is within ±25% of the
standard's, the target `config/default.toml` was sized for (benchmarks/convergence.py).
Only the headlines' measurements run on both sides (fio for the disk, the dev loop's builds
and git, not its watch). Results: benchmarks/results/default-vs-standard.json.
Usage: uv run python benchmarks/default_vs_standard.py [--experiment E ...]
(exit 1 when a headline measured on both sides disagrees by more than 25%)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from headline_run import measure

from analysis import paths
from analysis.experiments import experiments
from analysis.headlines import HEADLINES
from analysis.hostinfo import hostname

OUT = Path(__file__).with_name("results") / "default-vs-standard.json"
TOLERANCE = 0.25


def compare(default: dict[str, Any], standard: dict[str, Any]) -> list[dict[str, Any]]:
    """Per headline of the experiment: both ratios and whether they agree within ±25%."""
    rows = []
    for h in HEADLINES:
        if h.experiment != default["experiment"]:
            continue
        a, b = default["ratios"].get(h.key), standard["ratios"].get(h.key)
        agree = None if a is None or b is None else abs(a / b - 1) <= TOLERANCE
        rows.append(
            {"headline": h.key, "label": h.label, "default": a, "standard": b, "agree": agree}
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experiment", action="append", choices=sorted(experiments()))
    args = ap.parse_args()
    root = paths.cache_home() / "default-vs-standard"
    done = json.loads(OUT.read_text()) if OUT.exists() else {"experiments": {}}
    for name in args.experiment or list(experiments()):
        pair = {p: measure(name, p, {}, root) for p in ("default", "standard")}
        done["experiments"][name] = {
            **pair,
            "headlines": compare(pair["default"], pair["standard"]),
        }
        done["host"] = hostname()
        OUT.write_text(json.dumps(done, indent=1) + "\n")  # nothing measured is lost
        shutil.rmtree(root / name, ignore_errors=True)
    missed = 0
    for name, e in done["experiments"].items():
        secs = f"{e['default']['seconds']:.0f} s vs {e['standard']['seconds']:.0f} s"
        print(f"{name} (default vs standard: {secs})")
        for r in e["headlines"]:
            a = "not measured" if r["default"] is None else f"{r['default']:.1f}×"
            b = "not measured" if r["standard"] is None else f"{r['standard']:.1f}×"
            verdict = {True: "agree", False: "DISAGREE", None: "-"}[r["agree"]]
            missed += r["agree"] is False
            print(f"  {r['label']:28} {a:>14} {b:>14}  {verdict} (±25%)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
