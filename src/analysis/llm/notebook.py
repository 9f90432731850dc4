"""The LLM notebook's steps."""

from __future__ import annotations

import pandas as pd

from . import summary


def headline(t: pd.DataFrame) -> pd.DataFrame:
    """Median and interval of each metric per engine, device and placement."""
    parts = []
    for metric in ("eval_tokens_per_s", "prompt_tokens_per_s", "ttft_s"):
        s = summary.throughput_summary(t, metric)
        s.insert(0, "metric", metric)
        parts.append(s)
    loads = t[t["cold"].astype(bool)]
    if not loads.empty:
        s = summary.throughput_summary(loads.assign(warmup=False), "load_s")
        s.insert(0, "metric", "load_s")
        parts.append(s)
    out = pd.concat(parts, ignore_index=True)
    for c in ("median", "ci_low", "ci_high"):
        out[c] = out[c].astype(float).round(3)
    return out
