"""The Qdrant experiment's figures: cold start, load timeline, ingest and batch latency."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from ..plots import POST_HATCH, POST_NOTE, Chart, color_for, new_figure, style
from .process import batch_latencies
from .summary import (
    _measured,
    cold_start_summary,
    ingest_summary,
    integrity_table,  # noqa: F401  (notebook 20 shows it from here)
    timeline_data,
)


def cold_start_chart(t: pd.DataFrame) -> Figure:
    """Time to ready per placement on a log scale; the post's 67.6 s / 3.4 s beside."""
    s = cold_start_summary(t)
    fig, ax = new_figure(9, 4.2)
    labels = []
    for i, row in enumerate(s.itertuples(index=False)):
        post = row.source != "measured"
        err = [[row.median - row.min], [row.max - row.median]] if row.count >= 3 else None
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
        "Qdrant cold start by storage placement; bars: median, whiskers: min–max (n ≥ 3)\n"
        + POST_NOTE,
        fontsize=10,
    )
    return fig


def load_timeline(t: pd.DataFrame) -> Figure:
    """Gantt-style per-collection load, one panel per placement (first measured rep and post)."""
    wide = timeline_data(t)
    lanes = list(dict.fromkeys(zip(wide["source"], wide["host"], wide["target"], strict=True)))
    collections = list(dict.fromkeys(wide["collection"]))
    # one panel per placement on one linear scale: the reader compares lengths, so 0.2 s
    # must look short beside 67 s (each lane's total is written at its end)
    style()
    fig, grid = plt.subplots(
        max(len(lanes), 1),
        1,
        figsize=(10, 0.8 + 1.1 * max(len(lanes), 1)),
        squeeze=False,
        sharex=True,
        layout="constrained",
    )
    axes = grid[:, 0]
    longest = (
        float((wide["collection_start_s"] + wide["collection_load_s"]).max()) if len(wide) else 1.0
    )
    for ax, (source, host, target) in zip(axes, lanes, strict=False):
        lane = wide[
            (wide["source"] == source) & (wide["host"] == host) & (wide["target"] == target)
        ]
        for row in lane.itertuples(index=False):
            k = collections.index(row.collection)
            ax.barh(
                0,
                row.collection_load_s,
                left=row.collection_start_s,
                height=0.6,
                color=color_for("", k),
                hatch=POST_HATCH if source == "post" else None,
                edgecolor="white",
                label=row.collection,
            )
        end = float((lane["collection_start_s"] + lane["collection_load_s"]).max())
        ax.annotate(f"{end:.3g} s", (end, 0), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)  # fmt: skip
        ax.set_yticks([0], [f"{target} ({host if source == 'measured' else 'post'})"])
        ax.set_xlim(0, longest * 1.12)  # one scale for all, room for the total
    axes[-1].set_xlabel("seconds since the first collection started loading (one scale)")
    axes[0].set_title("Per-collection load during a cold start", fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=7, ncols=3, loc="outside lower center")
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


COLD_START = Chart(
    "qdrant-cold-start",
    "fig_cold",
    lambda t, _: cold_start_chart(t),
    lambda t, _: cold_start_summary(t),
)
TIMELINE = Chart(
    "qdrant-load-timeline",
    "fig_timeline",
    lambda t, _: load_timeline(t),
    lambda t, _: timeline_data(t),
)
INGEST = Chart(
    "qdrant-ingest",
    "fig_ingest",
    lambda t, runs: ingest_chart(t, batch_latencies(runs)),
    lambda t, runs: ingest_summary(t, batch_latencies(runs)),
)
CHARTS = (COLD_START, TIMELINE, INGEST)  # in the report and the post, in this order
