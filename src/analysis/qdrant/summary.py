"""The qdrant experiment's summaries: the numbers its figures plot and the post quotes."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from .. import paths
from ..places.roles import real_share
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


def _published_shape() -> dict[str, Any]:
    meta = json.loads((paths.REFERENCE / "manifest.json").read_text(encoding="utf-8"))
    return meta["qdrant_published"]


def _costs(
    native: float | None,
    share: float | None,
    files: float | None,
    mib: float | None,
    read_mib: float | None,
) -> dict[str, float | None]:
    """What the share added to a cold start, per file of storage and per MiB (stored, and
    read through the share where that was counted)."""
    extra = share - native if share is not None and native is not None else None

    def per(x: float | None, scale: float) -> float | None:
        return extra / x * scale if extra is not None and x else None

    return {
        "native_s": native,
        "share_s": share,
        "ratio": share / native if share and native else None,
        "extra_us_per_file": per(files, 1e6),
        "extra_ms_per_mib_stored": per(mib, 1e3),
        "extra_ms_per_mib_read": per(read_mib, 1e3),
    }


def storage_shape(t: pd.DataFrame) -> pd.DataFrame:
    """Why the cold-start ratio differs from the post's: each side's storage (directories,
    files, bytes) beside its cold starts, and the share's added seconds per file and per MiB.
    The post's side is the published version's (its shape was listed there); ours is every
    host's measured median. Nothing is fitted: the two rows are read, not reconciled."""
    pub = _published_shape()
    rows = [
        {
            "source": "post (published)",
            "dirs": pub["dirs"],
            "files": pub["files"],
            "mib": pub["bytes_gb"] * 1e9 / 2**20,
            **_costs(
                pub["native_s"], pub["share_s"], pub["files"], pub["bytes_gb"] * 1e9 / 2**20, None
            ),
        }
    ]
    m = _measured(t)
    for host, g in m.groupby("host", sort=False):
        by = g[g["role"] != ""].groupby(["role", "metric"])["value"].median()
        get = lambda role, metric, by=by: number(by.get((role, metric)))  # noqa: E731
        files, size = get("native", "storage_files"), get("native", "storage_bytes")
        how = how_read(t, host).get("share", {})
        read_mib = (
            how["share_read_requests"] * how["share_read_kib"] / 1024
            if {"share_read_requests", "share_read_kib"} <= set(how)
            else None
        )
        mib = size / 2**20 if size else None
        rows.append(
            {
                "source": host,
                "dirs": get("native", "storage_dirs"),
                "files": files,
                "mib": mib,
                **_costs(
                    get("native", "cold_start_s"),
                    get("share", "cold_start_s"),
                    files,
                    mib,
                    read_mib,
                ),
            }
        )
    return pd.DataFrame(rows)


def fidelity_post(t: pd.DataFrame) -> dict[str, tuple[Any, Any, bool]]:
    """The post's cold-start slowdown: its logs' (low) and its published text's (high)."""
    q = post_facts(t)["post"]
    return {"qdrant_cold_start": (q["post"]["ratio"], q["post (published)"]["ratio"], False)}


def fidelity_measured(t: pd.DataFrame, host: str) -> dict[str, tuple[Any, Any, str]]:
    """This host's cold-start slowdown: on the real share (when the run had one) and on the
    simulated one."""
    h = post_facts(t)["hosts"].get(host)
    if h is None:
        return {}
    real = real_share(t, host)
    sim = h["simulated_ratio"] if real else h["ratio"]
    return {"qdrant_cold_start": (h["ratio"] if real else None, sim, "cold start, median")}
