"""The fidelity table: does the simulated share reproduce what the post found on WSL2?

For each workload: the post's share/native slowdown (from its own data in data/raw/reference),
this run's, the share model used, whether the model was fitted to that workload's
microbenchmark (then it is an input, not a check), and whether the finding holds: the same
direction and within 2x of the post. Pure: reads processed tables and run manifests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .runs import load_manifest
from .stats import number

WITHIN = 2.0  # "holds": same direction and within this factor of the post
COLUMNS = [
    "workload",
    "post_low",
    "post_high",
    "post_note",
    "this_run",
    "measured_by",
    "share_model",
    "fit_input",
    "holds",
]


@dataclass(frozen=True)
class Workload:
    key: str
    label: str
    benchmark: str  # the calibration microbenchmark it rests on ("" = none)


WORKLOADS = (
    Workload("qdrant_cold", "Qdrant cold start", "cold_mmap"),
    Workload("putc", "per-char (one-byte) writes", "small_write"),
    Workload("put_block", "block (sequential) writes", "seq_write"),
    Workload("seq_create", "file creation", "create"),
    Workload("fio_published", "published fio job (randrw 4k, 8 jobs, qd 64)", ""),
)


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


def _model_of(run_dirs: list[Path]) -> tuple[str | None, list[str]]:
    """The share model of the share target in these runs, and its calibration inputs."""
    for d in run_dirs:
        share = load_manifest(d).get("targets", {}).get("share") or {}
        if share.get("share_model"):
            return share["share_model"], share.get("share_calibration_inputs") or []
    return None, []


def _ratio(native: float | None, share: float | None) -> float | None:
    """How many times slower the share is, from two rates (None unless both are numbers)."""
    ok = all(isinstance(v, int | float) and not math.isnan(v) and v > 0 for v in (native, share))
    return float(native / share) if ok else None  # type: ignore[operator]


def _fio_rates(t: pd.DataFrame, host: str, metric: str) -> tuple[float | None, float | None]:
    f = t[(t["source"] == "measured") & (t["host"] == host) & ~t["warmup"].astype(bool)]
    f = f[f["metric"] == metric].groupby("target")["value"].median()
    return f.get("native"), f.get("share")


def disk_rows(t: pd.DataFrame, host: str) -> dict[str, tuple[float | None, str]]:
    """This run's slowdown per disk workload: Bonnie++ where it gave numbers, else fio."""
    from .disk.summary import slowdowns

    sd = slowdowns(t)
    bonnie = sd[(sd["source"] == "measured") & (sd["host"] == host)].set_index("metric")
    fio_for = {
        "putc": ("byte_write.write.iops", "fio byte_write"),
        "put_block": ("seq_write.write.bw", "fio seq_write 1M"),
        "seq_create": ("file_create.write.iops", "fio file_create"),
        "fio_published": ("published_randrw.read.bw", "fio published_randrw (read)"),
    }
    out = {}
    for key, (metric, name) in fio_for.items():
        if key in bonnie.index and not pd.isna(bonnie.loc[key, "slowdown"]):
            out[key] = (float(bonnie.loc[key, "slowdown"]), f"Bonnie++ {key}")
        else:
            out[key] = (_ratio(*_fio_rates(t, host, metric)), name)
    return out


def post_ratios(disk: pd.DataFrame | None, qdrant: pd.DataFrame | None) -> dict[str, Any]:
    """The post's slowdowns, computed from its own data (never typed)."""
    from .disk.summary import slowdowns
    from .qdrant.summary import post_facts as qdrant_facts
    from .report.facts import reference

    post: dict[str, Any] = {}
    if disk is not None:
        sd = slowdowns(disk)
        for r in sd[sd["source"] == "post"].itertuples():
            if not pd.isna(r.slowdown):
                post[r.metric] = (number(r.slowdown), None, False)
            elif not pd.isna(r.slowdown_at_least):  # native too fast: at least this
                post[r.metric] = (number(r.slowdown_at_least), None, True)
    fio = {row["target"]: row["read_mib_s"] for row in reference()["fio_published"]["read_mib_s"]}
    post["fio_published"] = (fio["native"] / fio["share"], None, False)
    if qdrant is not None:
        q = qdrant_facts(qdrant)["post"]
        post["qdrant_cold"] = (q["post"]["ratio"], q["post (published)"]["ratio"], False)
    return post


def fidelity_table(
    tables: dict[str, pd.DataFrame], run_dirs: dict[str, list[Path]]
) -> pd.DataFrame:
    """One row per workload and measured host; experiments not in `tables` are left out."""
    from .qdrant.summary import post_facts as qdrant_facts

    disk, qdrant = tables.get("disk"), tables.get("qdrant")
    post = post_ratios(disk, qdrant)
    measured: dict[str, dict[str, tuple[float | None, str]]] = {}
    if disk is not None:
        for host in disk.loc[disk["source"] == "measured", "host"].unique():
            measured.setdefault(host, {}).update(disk_rows(disk, host))
    if qdrant is not None:
        for host, h in qdrant_facts(qdrant)["hosts"].items():
            measured.setdefault(host, {})["qdrant_cold"] = (h["ratio"], "cold start, median")
    rows = []
    for host, ours in measured.items():
        for w in WORKLOADS:
            if w.key not in ours or w.key not in post:
                continue
            exp = "qdrant" if w.key == "qdrant_cold" else "disk"
            model, inputs = _model_of(run_dirs.get(exp, []))
            low, high, bound = post[w.key]
            ratio, by = ours[w.key]
            rows.append(
                {
                    "workload": w.label,
                    "post_low": low,
                    "post_high": high,
                    "post_note": "at least: native too fast to measure" if bound else "",
                    "this_run": ratio,
                    "measured_by": f"{by} on {host}",
                    "share_model": model,
                    "fit_input": bool(w.benchmark and w.benchmark in inputs),
                    "holds": holds(low, high, ratio, bound),
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def post_cell(low: float | None, high: float | None, note: str) -> str:
    low, high = number(low), number(high)  # a table's missing value arrives as NaN
    if low is None:
        return "?"
    if note:
        return f"≥ {low:.1f}×"
    return f"{low:.1f}–{high:.1f}×" if high else f"{low:.1f}×"


def display(table: pd.DataFrame) -> pd.DataFrame:
    """The table as a reader sees it (notebooks): ratios as text, nothing missing shown as 0."""
    out = pd.DataFrame(
        {
            "workload": table["workload"],
            "post (WSL2 /mnt/c)": [
                post_cell(r.post_low, r.post_high, r.post_note) for r in table.itertuples()
            ],
            "this run": [
                "not measured" if r is None or pd.isna(r) else f"{r:.1f}×"
                for r in table["this_run"]
            ],
            "measured by": table["measured_by"],
            "share model": [m if isinstance(m, str) else "?" for m in table["share_model"]],
            "calibration input": table["fit_input"].map({True: "yes", False: "no"}),
            "finding holds": table["holds"],
        }
    )
    return out.reset_index(drop=True)
