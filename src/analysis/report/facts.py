"""Numbers for the post, computed from the processed tables only (never typed by hand)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..disk import summary as disk_fig
from ..llm import summary as llm_fig
from ..qdrant import summary as qdrant_fig
from ..runs import load_manifest


def _f(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def disk_facts(t: pd.DataFrame) -> dict[str, Any]:
    out: dict[str, Any] = {"hosts": {}}
    fio = disk_fig.fio_summary(t)
    fio = fio[fio["source"] == "measured"]
    for host, g in fio.groupby("host", sort=False):
        wide = g.pivot_table(index="job", columns="target", values="value", aggfunc="median")
        if not {"native", "share"} <= set(wide.columns):
            continue
        out["hosts"][host] = {
            job: {
                "native": _f(r["native"]),
                "share": _f(r["share"]),
                "slowdown": _f(r["native"] / r["share"]) if r["share"] else None,
            }
            for job, r in wide.iterrows()
        }
    sd = disk_fig.slowdowns(t)
    post = sd[sd["source"] == "post"].set_index("metric")
    out["post"] = {
        m: {
            "native": _f(r["native"]),
            "share": _f(r["share"]),
            "slowdown": _f(r["slowdown"]),
            "native_too_fast": r["native_too_fast"],
        }
        for m, r in post.iterrows()
    }
    bonnie = sd[sd["source"] == "measured"]
    for host, g in bonnie.groupby("host", sort=False):
        out["hosts"].setdefault(host, {})["bonnie"] = {
            r.metric: _f(r.slowdown) for r in g.itertuples() if not pd.isna(r.slowdown)
        }
    return out


def qdrant_facts(t: pd.DataFrame) -> dict[str, Any]:
    s = qdrant_fig.cold_start_summary(t)
    out: dict[str, Any] = {"hosts": {}, "post": {}}
    for (source, host), g in s.groupby(["source", "host"], sort=False):
        cold = {r.target: _f(r.median) for r in g.itertuples()}
        entry = {
            "cold_start_s": cold,
            "ratio": (cold["share"] / cold["native"])
            if cold.get("share") and cold.get("native")
            else None,
        }
        if source == "measured":
            m = t[(t["source"] == "measured") & (t["host"] == host)]
            rate = m[m["metric"] == "ingest_records_per_s"].groupby("target")["value"].median()
            ok = m[m["metric"] == "integrity_ok"]["value"]
            entry.update(
                ingest_records_per_s={k: _f(v) for k, v in rate.items()},
                cold_starts=int(len(ok)),
                integrity_ok=bool(len(ok) and ok.min() >= 1),
            )
            out["hosts"][host] = entry
        else:
            out["post"][source] = entry
    return out


def llm_facts(t: pd.DataFrame, roof: pd.DataFrame) -> dict[str, Any]:
    out: dict[str, Any] = {"hosts": {}, "post": llm_fig.post_tokens_per_s()}
    tps = llm_fig.throughput_summary(t)
    ttft = llm_fig.throughput_summary(t, "ttft_s")
    loads = t[t["cold"].astype(bool)].groupby(["host", "target"])["load_s"].median()
    for host, g in tps.groupby("host", sort=False):
        rows = []
        for r in g.itertuples():
            tt = ttft[
                (ttft["host"] == host)
                & (ttft["target"] == r.target)
                & (ttft["device"] == r.device)
            ]
            rf = roof[(roof["target"] == r.target) & (roof["device"] == r.device)]
            rows.append(
                {
                    "engine": r.engine,
                    "device": r.device,
                    "target": r.target,
                    "model": t[t["host"] == host]["model"].iloc[0],
                    "eval_tokens_per_s": _f(r.median),
                    "n": int(r.n),
                    "ttft_s": _f(tt["median"].iloc[0]) if len(tt) else None,
                    "load_s": _f(loads.get((host, r.target))),
                    "roofline_fraction": _f(rf["fraction"].iloc[0]) if len(rf) else None,
                    "bound_tokens_per_s": _f(rf["bound_tokens_per_s"].iloc[0])
                    if len(rf)
                    else None,
                }
            )
        out["hosts"][host] = rows
    return out


def host_facts(run_dirs: list[Path]) -> dict[str, dict[str, Any]]:
    hosts: dict[str, dict[str, Any]] = {}
    for d in run_dirs:
        m = load_manifest(d)
        h = m["host"]
        entry = hosts.setdefault(h["hostname"], {**h, "runs": [], "tools": {}})
        entry["runs"].append(
            {
                "experiment": m["experiment"],
                "run_id": m["run_id"],
                "profile": m["parameters"].get("profile"),
                "reps": m["parameters"].get("reps"),
                "started_utc": m["started_utc"],
            }
        )
        entry["tools"].update({k: v for k, v in (m.get("tools") or {}).items() if v})
    return hosts


def reference() -> dict[str, Any]:
    return json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
