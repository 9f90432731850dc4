"""The llm experiment's summaries: the numbers its figures plot and the post quotes."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .. import paths
from ..stats import number, summarize_over


def post_tokens_per_s() -> dict:
    meta = json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
    return meta["llm"]


def throughput_summary(t: pd.DataFrame, metric: str = "eval_tokens_per_s") -> pd.DataFrame:
    """Per host, engine, device and placement: the median over loads of each load's median
    request (requests after one load are not independent); n counts loads."""
    m = t[~t["warmup"].astype(bool)]
    rows = []
    keys = ["host", "engine", "device", "target"]
    for (host, engine, device, target), g in m.groupby(keys, sort=False):
        per_load = [r[metric].tolist() for _, r in g.groupby(["run_id", "rep"], sort=False)]
        rows.append(
            {
                "host": host,
                "engine": engine,
                "device": device,
                "target": target,
                **summarize_over(per_load),
            }
        )
    return pd.DataFrame(rows)


def load_summary(t: pd.DataFrame) -> pd.DataFrame:
    """Cold loads only (the cache dropped and checked before each), per host: median, min,
    max, n (each load is one independent repetition)."""
    c = t[t["cold"].astype(bool)].dropna(subset=["load_s"])
    s = c.groupby(["host", "engine", "target"], sort=False)["load_s"].agg(
        ["median", "min", "max", "count"]
    )
    return s.reset_index()


def post_facts(t: pd.DataFrame, roof: pd.DataFrame) -> dict[str, Any]:
    """What the post quotes from this experiment's table: per host, and the post's own."""
    out: dict[str, Any] = {"hosts": {}, "post": post_tokens_per_s()}
    tps = throughput_summary(t)
    ttft = throughput_summary(t, "ttft_s")
    loads = t[t["cold"].astype(bool)].groupby(["host", "target"])["load_s"].median()
    for host, g in tps.groupby("host", sort=False):
        rows = []
        for r in g.itertuples():
            tt = ttft[
                (ttft["host"] == host)
                & (ttft["target"] == r.target)
                & (ttft["device"] == r.device)
            ]
            rf = roof[
                (roof["host"] == host)
                & (roof["target"] == r.target)
                & (roof["device"] == r.device)
            ]
            rows.append(
                {
                    "engine": r.engine,
                    "device": r.device,
                    "target": r.target,
                    "model": t[t["host"] == host]["model"].iloc[0],
                    "eval_tokens_per_s": number(r.median),
                    "n": int(r.n),
                    "ttft_s": number(tt["median"].iloc[0]) if len(tt) else None,
                    "load_s": number(loads.get((host, r.target))),
                    "roofline_fraction": number(rf["fraction"].iloc[0]) if len(rf) else None,
                    "bound_tokens_per_s": number(rf["bound_tokens_per_s"].iloc[0])
                    if len(rf)
                    else None,
                }
            )
        out["hosts"][host] = rows
    return out
