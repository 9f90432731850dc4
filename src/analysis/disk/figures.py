"""The disk experiment's figures: grouped bars per metric, and the share's slowdown."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..plots import PALETTE, POST_HATCH, POST_NOTE, Chart, color_for, new_figure
from .bonnie import LABELS, METRICS
from .fio import MIN_TIMED_MS
from .summary import bonnie_summary, fio_summary, latency_summary, slowdowns


def bonnie_bars(table: pd.DataFrame, metrics: tuple[str, ...] = METRICS) -> Figure:
    """Grouped bars per Bonnie++ metric on a log scale; the post's bars hatched."""
    s = bonnie_summary(table)
    s = s[s["metric"].isin(metrics)]
    series = list(
        s[["source", "host", "target"]].drop_duplicates().itertuples(index=False, name=None)
    )
    fig, ax = new_figure(11, 4.8)
    present = [m for m in metrics if m in set(s["metric"])]
    x = np.arange(len(present))
    width = 0.8 / max(len(series), 1)
    for i, (source, host, target) in enumerate(series):
        rows = s[(s["source"] == source) & (s["host"] == host) & (s["target"] == target)]
        rows = rows.set_index("metric")
        vals = [rows["value"].get(m, np.nan) for m in present]
        fast = [bool(rows["too_fast"].get(m, False)) for m in present]
        bounds = [
            rows["lower_bound"].get(m, np.nan) if f else np.nan
            for m, f in zip(present, fast, strict=True)
        ]
        pos = x - 0.4 + width * (i + 0.5)
        label = f"{target} ({'post' if source == 'post' else host})"
        color = color_for(target, i)
        hatch = POST_HATCH if source == "post" else None
        ax.bar(pos, vals, width, label=label, color=color, hatch=hatch, edgecolor="white")
        # too fast to measure: an outlined bar at the least it can have been, marked ≥
        ax.bar(pos, bounds, width, facecolor="none", edgecolor=color, linestyle="--", hatch=hatch)
        for p, b in zip(pos, bounds, strict=True):
            if not np.isnan(b):
                ax.annotate("≥", (p, b), ha="center", va="bottom", fontsize=8)
    ax.set_yscale("log")
    ax.set_xticks(x, [LABELS[m] for m in present], rotation=30, ha="right")
    ax.set_ylabel("KiB/s (throughput) or operations/s (log scale)")
    ax.set_title(
        "Bonnie++ by placement; dashed ≥ bars: +++++ (under Bonnie++'s 500 ms), drawn at the "
        f"least rate that means\n{POST_NOTE}",
        fontsize=10,
    )
    ax.legend(fontsize=8, ncols=2)
    return fig


def latency_bars(table: pd.DataFrame) -> Figure:
    """Bonnie++'s latency per test and placement (log scale): numbers even where the rate is
    '+++++', so every test of this machine shows on both places."""
    s = latency_summary(table)
    series = list(dict.fromkeys(zip(s["source"], s["host"], s["target"], strict=True)))
    metrics = [m for m in METRICS if m in set(s["metric"])]
    fig, ax = new_figure(11, 4.5)
    x = np.arange(len(metrics))
    width = 0.8 / max(len(series), 1)
    for i, (source, host, target) in enumerate(series):
        rows = s[(s["source"] == source) & (s["host"] == host) & (s["target"] == target)]
        vals = rows.set_index("metric")["latency_us"]
        ax.bar(
            x - 0.4 + width * (i + 0.5),
            [vals.get(m, np.nan) for m in metrics],
            width,
            label=f"{target} ({'post' if source == 'post' else host})",
            color=color_for(target, i),
            hatch=POST_HATCH if source == "post" else None,
            edgecolor="white",
        )
    ax.set_yscale("log")
    ax.set_xticks(x, [LABELS[m] for m in metrics], rotation=30, ha="right")
    ax.set_ylabel("worst-case latency, µs (log scale; lower is better)")
    ax.set_title(f"Bonnie++ latency by placement\n{POST_NOTE}", fontsize=10)
    ax.legend(fontsize=8, ncols=2)
    return fig


def slowdown_chart(table: pd.DataFrame) -> Figure:
    """How many times slower the share is than native, per metric, here and in the post."""
    sd = slowdowns(table).dropna(subset=["slowdown", "slowdown_at_least"], how="all")
    fig, ax = new_figure(10, 4.5)
    metrics = [m for m in METRICS if m in set(sd["metric"])]
    x = np.arange(len(metrics))
    sources = list(dict.fromkeys(zip(sd["source"], sd["host"], strict=True)))
    width = 0.8 / max(len(sources), 1)
    for i, (source, host) in enumerate(sources):
        g = sd[(sd["source"] == source) & (sd["host"] == host)].set_index("metric")
        vals = [g["slowdown"].get(m, np.nan) for m in metrics]
        least = [g["slowdown_at_least"].get(m, np.nan) for m in metrics]
        pos = x - 0.4 + width * (i + 0.5)
        color = PALETTE["share"]  # the share's cost; the post's own hatched
        hatch = POST_HATCH if source == "post" else None
        ax.bar(
            pos,
            vals,
            width,
            label="post (WSL2 /mnt/c vs ~/temp)" if source == "post" else host,
            color=color,
            hatch=hatch,
            edgecolor="white",
        )
        ax.bar(pos, least, width, facecolor="none", edgecolor=color, linestyle="--", hatch=hatch)
        for p, v in zip(pos, least, strict=True):
            if not np.isnan(v):
                ax.annotate("≥", (p, v), ha="center", va="bottom", fontsize=8)
    ax.axhline(1, color="black", lw=0.8)
    ax.set_yscale("log")
    ax.set_xticks(x, [LABELS[m] for m in metrics], rotation=30, ha="right")
    ax.set_ylabel("slowdown, native ÷ share (×, log scale)")
    ax.set_title(
        "How much slower the cross-OS share is (dashed ≥: native too fast to measure)",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return fig


def fio_bars(table: pd.DataFrame, quantity: str = "iops") -> Figure:
    """fio operations/s per job and direction (a mixed job's reads and writes apart) and
    target, log scale; warm jobs say so under their name; a rate from a job shorter than
    fio can time is a dashed ≥ bar at its lower bound."""
    s = fio_summary(table, quantity)
    fig, ax = new_figure(11, 4.5)
    jobs = list(dict.fromkeys(s["series"]))
    cache = dict(zip(s["series"], s["cache"], strict=True))
    series = list(dict.fromkeys(zip(s["host"], s["target"], strict=True)))
    x = np.arange(len(jobs))
    width = 0.8 / max(len(series), 1)
    one_host = len({h for h, _ in series}) == 1
    for i, (host, t) in enumerate(series):
        g = s[(s["host"] == host) & (s["target"] == t)].set_index("series")
        pos = x - 0.4 + width * (i + 0.5)
        color = color_for(t, i)
        label = t if one_host else f"{t} ({host})"
        ax.bar(pos, [g["value"].get(j, np.nan) for j in jobs], width, label=label, color=color)
        bounds = [g["lower_bound"].get(j, np.nan) for j in jobs]
        ax.bar(pos, bounds, width, facecolor="none", edgecolor=color, linestyle="--")
        for p, b in zip(pos, bounds, strict=True):
            if not np.isnan(b):
                ax.annotate("≥", (p, b), ha="center", va="bottom", fontsize=8)
    names = [f"{j}\n({cache.get(j) or '?'})" for j in jobs]
    ax.set_yscale("log")
    ax.set_xticks(x, names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("operations/s (log scale)" if quantity == "iops" else f"{quantity}")
    ax.set_title(
        "fio by job and placement (this machine); cold: O_DIRECT or evicted, warm: page cache; "
        f"dashed ≥: the job ran under fio's {MIN_TIMED_MS} ms",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return fig


BONNIE = Chart(
    "disk-bonnie", "fig_disk", lambda t, _: bonnie_bars(t), lambda t, _: bonnie_summary(t)
)
LATENCY = Chart(
    "disk-bonnie-latency", "fig_lat", lambda t, _: latency_bars(t), lambda t, _: latency_summary(t)
)
SLOWDOWN = Chart(
    "disk-slowdown", "fig_slow", lambda t, _: slowdown_chart(t), lambda t, _: slowdowns(t)
)
FIO = Chart("disk-fio", "fig_fio", lambda t, _: fio_bars(t), lambda t, _: fio_summary(t))
CHARTS = (BONNIE, LATENCY, SLOWDOWN, FIO)  # in the report and the post, in this order
BONNIE_ONLY = (BONNIE, LATENCY)  # nothing of this run's in them when Bonnie++ did not run
