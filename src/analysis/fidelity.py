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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .placement.classify import CROSS_OS, NETWORK, SIMULATED
from .placement.roles import place_class
from .runs import load_manifest
from .stats import number

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
    Workload("fio_published", "published fio job (randrw 4k, 8 jobs, qd 64), reads", ""),
    Workload("fio_published_write", "published fio job (randrw 4k, 8 jobs, qd 64), writes", ""),
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


def _ratio(native: float | None, share: float | None) -> float | None:
    """How many times slower the share is, from two rates (None unless both are numbers)."""
    ok = all(isinstance(v, int | float) and not math.isnan(v) and v > 0 for v in (native, share))
    return float(native / share) if ok else None  # type: ignore[operator]


def _fio_rates(
    t: pd.DataFrame, host: str, metric: str, share: str
) -> tuple[float | None, float | None]:
    f = t[(t["source"] == "measured") & (t["host"] == host) & ~t["warmup"].astype(bool)]
    f = f[f["metric"] == metric].groupby("role")["value"].median()
    return f.get("native"), f.get(share)


def disk_rows(
    t: pd.DataFrame, host: str, share: str = "share"
) -> dict[str, tuple[float | None, str]]:
    """This run's slowdown per disk workload of the place with role `share`: Bonnie++ where it
    gave numbers, else fio."""
    from .disk.summary import slowdowns

    sd = slowdowns(t, share=share)
    bonnie = sd[(sd["source"] == "measured") & (sd["host"] == host)].set_index("metric")
    fio_for = {
        "putc": ("byte_write.write.iops", "fio byte_write"),
        "put_block": ("seq_write.write.bw", "fio seq_write 1M"),
        "seq_create": ("file_create.write.iops", "fio file_create"),
        "fio_published": ("published_randrw.read.bw", "fio published_randrw (read)"),
        "fio_published_write": ("published_randrw.write.bw", "fio published_randrw (write)"),
    }
    out = {}
    for key, (metric, name) in fio_for.items():
        if key in bonnie.index and not pd.isna(bonnie.loc[key, "slowdown"]):
            out[key] = (float(bonnie.loc[key, "slowdown"]), f"Bonnie++ {key}")
        else:
            out[key] = (_ratio(*_fio_rates(t, host, metric, share)), name)
    return out


def real_share(t: pd.DataFrame, host: str) -> bool:
    """Whether this host's place with role `share` is a real one (else it is the simulation)."""
    rows = t[(t["source"] == "measured") & (t["host"] == host) & (t["role"] == "share")]
    return bool(rows["place"].isin([CROSS_OS, NETWORK]).any())


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
    rows = {row["target"]: row for row in reference()["fio_published"]["read_mib_s"]}
    for key, col in (("fio_published", "read_mib_s"), ("fio_published_write", "write_mib_s")):
        post[key] = (rows["native"][col] / rows["share"][col], None, False)
    if qdrant is not None:
        q = qdrant_facts(qdrant)["post"]
        post["qdrant_cold"] = (q["post"]["ratio"], q["post (published)"]["ratio"], False)
    return post


Measured = dict[str, tuple[float | None, float | None, str]]  # workload -> real, sim, by


def _disk(t: pd.DataFrame, host: str) -> Measured:
    real = real_share(t, host)
    sim = disk_rows(t, host, "simulated" if real else "share")
    ours = disk_rows(t, host, "share") if real else {}
    return {k: (ours.get(k, (None, ""))[0], v, by) for k, (v, by) in sim.items()}


def fidelity_table(
    tables: dict[str, pd.DataFrame], run_dirs: dict[str, list[Path]]
) -> pd.DataFrame:
    """One row per workload and measured host; experiments not in `tables` are left out."""
    from .qdrant.summary import post_facts as qdrant_facts

    disk, qdrant = tables.get("disk"), tables.get("qdrant")
    post = post_ratios(disk, qdrant)
    measured: dict[str, Measured] = {}
    if disk is not None:
        for host in disk.loc[disk["source"] == "measured", "host"].unique():
            measured.setdefault(host, {}).update(_disk(disk, host))
    if qdrant is not None:
        for host, h in qdrant_facts(qdrant)["hosts"].items():
            real = real_share(qdrant, host)
            sim = h["simulated_ratio"] if real else h["ratio"]
            cold = (h["ratio"] if real else None, sim, "cold start, median")
            measured.setdefault(host, {})["qdrant_cold"] = cold
    rows = []
    for host, ours in measured.items():
        for w in WORKLOADS:
            if w.key not in ours or w.key not in post:
                continue
            exp = "qdrant" if w.key == "qdrant_cold" else "disk"
            model, inputs = _model_of(run_dirs.get(exp, []))
            low, high, bound = post[w.key]
            real, sim, by = ours[w.key]
            rows.append(
                {
                    "key": w.key,
                    "workload": w.label,
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
