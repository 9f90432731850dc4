"""The qdrant experiment's summaries: the numbers its figures plot and the post quotes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..stats import number


def _measured(t: pd.DataFrame) -> pd.DataFrame:
    return t[(t["source"] == "measured") & ~t["warmup"].astype(bool)]


def cold_start_summary(t: pd.DataFrame) -> pd.DataFrame:
    """Median cold start per source and placement, with the spread across repetitions."""
    c = t[(t["metric"] == "cold_start_s") & ~t["warmup"].astype(bool)]
    g = c.groupby(["source", "host", "target", "role"], sort=False)["value"]
    return g.agg(["median", "min", "max", "count"]).reset_index()


def timeline_data(t: pd.DataFrame) -> pd.DataFrame:
    """Per placement and collection: when its load started and how long it took (first rep)."""
    c = t[t["metric"].isin(["collection_start_s", "collection_load_s"])]
    c = c[c["source"].isin(["measured", "post"]) & ~c["warmup"].astype(bool)]
    first = c.groupby(["source", "host", "target"], sort=False)["rep"].transform("min")
    c = c[c["rep"] == first]
    wide = c.pivot_table(
        index=["source", "host", "target", "collection"],
        columns="metric",
        values="value",
        aggfunc="first",
        sort=False,
    ).reset_index()
    wide.columns.name = None
    return wide


def ingest_summary(t: pd.DataFrame, latencies: pd.DataFrame) -> pd.DataFrame:
    """What the ingest chart shows: records/s and batch latency percentiles per placement."""
    m = _measured(t)
    rate = m[m["metric"] == "ingest_records_per_s"].groupby(["host", "target"], sort=False)
    out = rate["value"].median().rename("records_per_s").reset_index()
    if not latencies.empty:
        q = latencies.groupby(["host", "target"], sort=False)["latency_s"].quantile([0.5, 0.99])
        q = (q * 1e3).unstack().rename(columns={0.5: "batch_p50_ms", 0.99: "batch_p99_ms"})
        out = out.merge(q.reset_index(), on=["host", "target"], how="left")
    return out


def integrity_table(t: pd.DataFrame) -> pd.DataFrame:
    i = _measured(t)
    i = i[i["metric"] == "integrity_ok"]
    out = i.groupby(["run_id", "target"], sort=False)["value"].agg(["count", "min"]).reset_index()
    out["status"] = np.where(out["min"] >= 1, "OK", "DATA LOSS")
    return out.rename(columns={"count": "cold_starts"})[
        ["run_id", "target", "cold_starts", "status"]
    ]


def _ratio(cold: dict[str, float | None], role: str) -> float | None:
    """How many times longer the place with this role took to start than native."""
    return cold[role] / cold["native"] if cold.get(role) and cold.get("native") else None


def post_facts(t: pd.DataFrame) -> dict[str, Any]:
    s = cold_start_summary(t)
    """What the post quotes from this experiment's table: per host, and the post's own."""
    out: dict[str, Any] = {"hosts": {}, "post": {}}
    for (source, host), g in s.groupby(["source", "host"], sort=False):
        cold = {
            r.role: number(r.median) for r in g.itertuples() if isinstance(r.role, str) and r.role
        }
        entry = {
            "cold_start_s": cold,  # by role: native, share, simulated (beside a real share)
            "ratio": _ratio(cold, "share"),
            "simulated_ratio": _ratio(cold, "simulated"),
        }
        if source == "measured":
            m = t[(t["source"] == "measured") & (t["host"] == host) & (t["role"] != "")]
            rate = m[m["metric"] == "ingest_records_per_s"].groupby("role")["value"].median()
            ok = m[m["metric"] == "integrity_ok"]["value"]
            entry.update(
                ingest_records_per_s={k: number(v) for k, v in rate.items()},
                cold_starts=int(len(ok)),
                integrity_ok=bool(len(ok) and ok.min() >= 1),
            )
            out["hosts"][host] = entry
        else:
            out["post"][source] = entry
    return out


HOW_READ = ("major_faults", "read_calls", "share_read_requests", "share_read_kib")
HOW_READ += ("share_meta_requests", "share_write_requests", "share_service_s", "cold_start_s")


def how_read(t: pd.DataFrame, host: str) -> dict[str, dict[str, float]]:
    """Per role: how the first measured cold start read its storage (page faults, read()
    calls, our layer's requests and the model's service time for them) and its time."""
    m = _measured(t)
    m = m[(m["host"] == host) & m["metric"].isin(HOW_READ) & (m["rep"] != "")]
    out: dict[str, dict[str, float]] = {}
    for role, g in m.groupby("role", sort=False):
        if not role:
            continue
        first = g[g["rep"] == sorted(g["rep"])[0]]
        out[role] = dict(zip(first["metric"], first["value"], strict=True))
    return out
