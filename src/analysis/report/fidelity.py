"""The fidelity table: does the simulated share reproduce what the post found on WSL2?

For each workload: the post's share/native slowdown (from its own data in data/raw/reference),
this machine's real one when the run measured a real cross-OS share (on WSL: the Windows
drive), the simulated share's, the share model used, whether the model was fitted to that
workload's microbenchmark (then it is an input, not a check), whether the finding holds (the
simulation's slowdown points the same way as the post's and is within 2x of it) and, with a
real share beside it, whether the simulation holds on this machine (the same test against
the real slowdown measured in the same run). Pure: reads processed tables and run manifests.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiments import experiments
from ..headlines import WORKLOADS
from ..places.classify import SIMULATED
from ..places.roles import place_class
from ..runs import load_manifest
from ..stats import number

WITHIN = 2.0  # "holds": same direction and within this factor of the post
COLUMNS = [
    "key",
    "workload",
    "post_low",
    "post_high",
    "post_note",
    "real",
    "simulated",
    "measured_by",
    "by",
    "host",
    "share_model",
    "fit_input",
    "holds",
    "holds_here",
]


def holds(low: float | None, high: float | None, ours: float | None, bound: bool) -> str:
    """'yes', 'direction only', 'no' or 'not measured'; bound: the post's `low` is only a
    lower bound (its native side was too fast to measure), so any higher ratio agrees."""
    if ours is None or (isinstance(ours, float) and math.isnan(ours)):
        return "not measured"
    if ours <= 1:
        return "no"
    if low is None:
        return "yes (direction)"
    if bound:
        return "yes" if ours >= low / WITHIN else "direction only"
    hi = high if high is not None else low
    return "yes" if low / WITHIN <= ours <= hi * WITHIN else "direction only"


def holds_here(real: float | None, simulated: float | None) -> str:
    """The simulation against the real share measured in the same run: 'yes' (same
    direction, within 2x), 'direction only', 'no' (opposite directions) or 'not measured'."""
    real, simulated = number(real), number(simulated)
    if real is None or simulated is None:
        return "not measured"
    if (real > 1) != (simulated > 1):
        return "no"
    return "yes" if real / WITHIN <= simulated <= real * WITHIN else "direction only"


def _model_of(run_dirs: list[Path]) -> tuple[str | None, list[str]]:
    """The share model of the simulated share in these runs, and its calibration inputs."""
    for d in run_dirs:
        for facts in load_manifest(d).get("targets", {}).values():
            if facts.get("share_model") and place_class(facts) == SIMULATED:
                return facts["share_model"], facts.get("share_calibration_inputs") or []
    return None, []


Measured = dict[str, tuple[float | None, float | None, str]]  # workload -> real, sim, by


def post_ratios(tables: dict[str, pd.DataFrame]) -> dict[str, tuple[Any, Any, bool]]:
    """The post's slowdowns, computed by each experiment from the post's own data (never
    typed): workload -> (low, high, whether low is only a lower bound)."""
    post: dict[str, tuple[Any, Any, bool]] = {}
    for name, exp in experiments().items():
        if exp.fidelity is not None and name in tables:
            post.update(exp.fidelity.post(tables[name]))
    return post


def measured(tables: dict[str, pd.DataFrame]) -> dict[str, Measured]:
    """Per measured host: each workload's real and simulated slowdown, and what measured it."""
    out: dict[str, Measured] = {}
    for name, exp in experiments().items():
        t = tables.get(name)
        if exp.fidelity is None or t is None:
            continue
        for host in t.loc[t["source"] == "measured", "host"].unique():
            out.setdefault(host, {}).update(exp.fidelity.measured(t, host))
    return out


def fidelity_table(
    tables: dict[str, pd.DataFrame], run_dirs: dict[str, list[Path]]
) -> pd.DataFrame:
    """One row per workload and measured host; experiments not in `tables` are left out."""
    post = post_ratios(tables)
    rows = []
    for host, ours in measured(tables).items():
        for w in WORKLOADS:
            if w.key not in ours or w.key not in post:
                continue
            model, inputs = _model_of(run_dirs.get(w.experiment, []))
            low, high, bound = post[w.key]
            real, sim, by = ours[w.key]
            rows.append(
                {
                    "key": w.key,
                    "workload": w.workload,
                    "post_low": low,
                    "post_high": high,
                    "post_note": "at least: native too fast to measure" if bound else "",
                    "real": real,
                    "simulated": sim,
                    "measured_by": f"{by} on {host}",
                    "by": by,
                    "host": host,
                    "share_model": model,
                    "fit_input": bool(w.benchmark and w.benchmark in inputs),
                    "holds": holds(low, high, sim, bound),
                    "holds_here": holds_here(real, sim),
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


NOT_HELD_PCT = 3.0  # above this share of a kind's requests, the report says so
KINDS = {"meta": "metadata", "read": "read", "write": "write"}


def not_held(run_dirs: dict[str, list[Path]]) -> list[dict[str, Any]]:
    """Per experiment and kind of request: the share of requests our layer served later
    than the model's time (its own cost, or what a request costs beyond it on this machine,
    made it over 10% late), where above NOT_HELD_PCT. From what each simulated share's layer
    counted (`share_served` in the manifest)."""
    out = []
    for exp, dirs in run_dirs.items():
        requests: dict[str, int] = {}
        over: dict[str, int] = {}
        for d in dirs:
            for facts in load_manifest(d).get("targets", {}).values():
                for kind, c in ((facts.get("share_served") or {}).get("kinds") or {}).items():
                    if c.get("service_us"):
                        requests[kind] = requests.get(kind, 0) + int(c.get("requests", 0))
                        over[kind] = over.get(kind, 0) + int(c.get("over_service", 0))
        for kind, n in requests.items():
            pct = 100 * over[kind] / n if n else 0.0
            if pct > NOT_HELD_PCT:
                out.append({"experiment": exp, "kind": kind, "pct": pct, "requests": n})
    return out


def has_real(table: pd.DataFrame) -> bool:
    """Whether any row has a real share's slowdown beside the simulated one."""
    return bool(table["real"].map(number).notna().any()) if not table.empty else False


def post_cell(low: float | None, high: float | None, note: str) -> str:
    low, high = number(low), number(high)  # a table's missing value arrives as NaN
    if low is None:
        return "?"
    if note:
        return f"≥ {low:.1f}×"
    return f"{low:.1f}–{high:.1f}×" if high else f"{low:.1f}×"


def ratio_cell(r: Any) -> str:
    r = number(r)
    return "not measured" if r is None else f"{r:.1f}×"


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The table as a reader sees it (notebooks): ratios as text, nothing missing shown as 0;
    with a real share in the run, its slowdown first and whether the simulation holds here."""
    cols: dict[str, Any] = {
        "workload": table["workload"],
        "post (WSL2 /mnt/c)": [
            post_cell(r.post_low, r.post_high, r.post_note) for r in table.itertuples()
        ],
    }
    if has_real(table):
        cols["this machine, real share"] = [ratio_cell(r) for r in table["real"]]
    cols["simulated share"] = [ratio_cell(r) for r in table["simulated"]]
    cols["measured by"] = table["measured_by"]
    cols["share model"] = [m if isinstance(m, str) else "?" for m in table["share_model"]]
    cols["calibration input"] = table["fit_input"].map({True: "yes", False: "no"})
    cols["finding holds"] = table["holds"]
    if has_real(table):
        cols["simulation holds here"] = table["holds_here"]
    return pd.DataFrame(cols).reset_index(drop=True)
