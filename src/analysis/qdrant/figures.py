"""The Qdrant experiment's figures: cold start, load timeline, ingest and batch latency."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..plots import POST_HATCH, POST_NOTE, color_for, new_figure, style


def _measured(t: pd.DataFrame) -> pd.DataFrame:
    return t[(t["source"] == "measured") & ~t["warmup"].astype(bool)]


def cold_start_summary(t: pd.DataFrame) -> pd.DataFrame:
    """Median cold start per source and placement, with the spread across repetitions."""
    c = t[(t["metric"] == "cold_start_s") & ~t["warmup"].astype(bool)]
    g = c.groupby(["source", "host", "target"], sort=False)["value"]
    return g.agg(["median", "min", "max", "count"]).reset_index()


def cold_start_chart(t: pd.DataFrame) -> Figure:
    """Time to ready per placement on a log scale; the post's 67.6 s / 3.4 s beside."""
    s = cold_start_summary(t)
    fig, ax = new_figure(9, 4.2)
    labels = []
    for i, row in enumerate(s.itertuples(index=False)):
        post = row.source != "measured"
        err = [[row.median - row.min], [row.max - row.median]]
        ax.barh(
            i,
            row.median,
            color=color_for(row.target),
            hatch=POST_HATCH if post else None,
            edgecolor="white",
            xerr=None if post else err,
            capsize=3,
        )
        ax.annotate(
            f"{row.median:.3g} s",
            (row.median, i),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
        labels.append(f"{row.target} ({row.host if row.source == 'measured' else row.source})")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("time until ready after a cold restart (s, log scale)")
    ax.set_title(
        f"Qdrant cold start by storage placement; bars: median, whiskers: min–max\n{POST_NOTE}",
        fontsize=10,
    )
    return fig


def load_timeline(t: pd.DataFrame) -> Figure:
    """Gantt-style per-collection load, one lane per placement (first measured rep and post)."""
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
    lanes = list(dict.fromkeys(zip(wide["source"], wide["host"], wide["target"], strict=True)))
    collections = list(dict.fromkeys(wide["collection"]))
    fig, ax = new_figure(10, 1 + 0.6 * len(lanes))
    for li, (source, host, target) in enumerate(lanes):
        lane = wide[
            (wide["source"] == source) & (wide["host"] == host) & (wide["target"] == target)
        ]
        for row in lane.itertuples(index=False):
            k = collections.index(row.collection)
            ax.barh(
                li,
                row.collection_load_s,
                left=row.collection_start_s,
                height=0.6,
                color=color_for("", k),
                hatch=POST_HATCH if source == "post" else None,
                edgecolor="white",
                label=row.collection if li == 0 else None,
            )
    ax.set_yticks(
        range(len(lanes)),
        [f"{tg} ({h if s == 'measured' else 'post'})" for s, h, tg in lanes],
    )
    ax.invert_yaxis()
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set_xlabel("seconds since the first collection started loading (symlog)")
    ax.set_title("Per-collection load during a cold start", fontsize=10)
    ax.legend(fontsize=7, ncols=3, loc="lower right")
    return fig


def ingest_chart(t: pd.DataFrame, latencies: pd.DataFrame) -> Figure:
    """Ingest records/s per placement, and each batch's upsert latency."""
    m = _measured(t)
    if m["host"].nunique() > 1:  # several machines side by side
        m = m.assign(target=m["target"] + " (" + m["host"] + ")")
        latencies = latencies.assign(target=latencies["target"] + " (" + latencies["host"] + ")")
    rate = m[m["metric"] == "ingest_records_per_s"].groupby("target", sort=False)["value"].median()
    style()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    targets = list(rate.index)
    a1.bar(targets, rate.values, color=[color_for(x, i) for i, x in enumerate(targets)])
    a1.set_ylabel("records/s (engine time)")
    a1.set_title("ingest throughput", fontsize=10)
    if not latencies.empty:
        data = [
            latencies.loc[latencies["target"] == x, "latency_s"].to_numpy() * 1e3 for x in targets
        ]
        a2.boxplot(data, tick_labels=targets, showfliers=True)
        a2.set_yscale("log")
    a2.set_ylabel("upsert latency per batch (ms, log scale)")
    a2.set_title("batch latency distribution", fontsize=10)
    fig.tight_layout()
    return fig


def integrity_table(t: pd.DataFrame) -> pd.DataFrame:
    i = _measured(t)
    i = i[i["metric"] == "integrity_ok"]
    out = i.groupby(["run_id", "target"], sort=False)["value"].agg(["count", "min"]).reset_index()
    out["status"] = np.where(out["min"] >= 1, "OK", "DATA LOSS")
    return out.rename(columns={"count": "cold_starts"})[
        ["run_id", "target", "cold_starts", "status"]
    ]
