"""The llm experiment's summaries: the numbers its figures plot and the post quotes."""

from __future__ import annotations

import json

import pandas as pd

from .. import paths
from ..stats import summarize


def post_tokens_per_s() -> dict:
    meta = json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
    return meta["llm"]


def throughput_summary(t: pd.DataFrame, metric: str = "eval_tokens_per_s") -> pd.DataFrame:
    m = t[~t["warmup"].astype(bool)]
    rows = []
    keys = ["host", "engine", "device", "target"]
    for (host, engine, device, target), g in m.groupby(keys, sort=False):
        rows.append(
            {
                "host": host,
                "engine": engine,
                "device": device,
                "target": target,
                **summarize(g[metric].tolist()),
            }
        )
    return pd.DataFrame(rows)


def load_summary(t: pd.DataFrame) -> pd.DataFrame:
    """Cold loads only (the cache dropped and checked before each): median, min, max, n."""
    c = t[t["cold"].astype(bool)].dropna(subset=["load_s"])
    s = c.groupby(["engine", "target"], sort=False)["load_s"].agg(
        ["median", "min", "max", "count"]
    )
    return s.reset_index()
