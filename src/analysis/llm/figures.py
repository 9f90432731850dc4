"""The LLM experiment's figures: tokens/s with intervals, time to first token, roofline."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..plots import POST_COLOR, POST_HATCH, POST_NOTE, Chart, color_for, new_figure, whiskers
from .process import rooflines
from .summary import load_summary, post_tokens_per_s, throughput_summary


def tokens_per_s_chart(t: pd.DataFrame) -> Figure:
    """Generation tokens/s by engine, device and placement; the post's ~10 tokens/s beside."""
    s = throughput_summary(t)
    post = post_tokens_per_s()
    fig, ax = new_figure(9, 4)
    hosts = s["host"].nunique() > 1
    labels = [
        f"{r.host + ' · ' if hosts else ''}{r.engine} · {r.device} · {r.target}"
        for r in s.itertuples()
    ]
    med = s["median"].to_numpy(dtype=float)
    ax.bar(range(len(s)), med, color=[color_for(x, i) for i, x in enumerate(s["target"])])
    whiskers(ax, np.arange(len(s)), med, s["ci_low"], s["ci_high"], s["n"])
    ax.bar(
        len(s), post["eval_tokens_per_s"], color=POST_COLOR, hatch=POST_HATCH, edgecolor="white"
    )
    ax.set_xticks(
        range(len(s) + 1), [*labels, f"post: {post['model']}, GPU (~10+)"], rotation=20, ha="right"
    )
    ax.set_ylabel("generation tokens/s (median over loads; whiskers: 95% CI or min–max, n ≥ 3)")
    ax.set_title(f"LLM generation speed\n{POST_NOTE}", fontsize=10)
    return fig


def ttft_chart(t: pd.DataFrame) -> Figure:
    """Time to first token per request, by engine, device and placement."""
    m = t[~t["warmup"].astype(bool) & t["ttft_s"].notna()]
    groups = list(m.groupby(["host", "engine", "device", "target"], sort=False))
    hosts = m["host"].nunique() > 1
    fig, ax = new_figure(8, 3.8)
    data = [g["ttft_s"].to_numpy() * 1e3 for _, g in groups]
    if data:
        names = [" · ".join(k if hosts else k[1:]) for k, _ in groups]
        ax.boxplot(data, tick_labels=names)
        for i, d in enumerate(data, start=1):
            ax.scatter(np.full(len(d), i), d, s=12, alpha=0.6, color="#264653", zorder=3)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("time to first token (ms)")
    ax.set_title("Time to first token, every measured request", fontsize=10)
    return fig


def load_chart(t: pd.DataFrame) -> Figure:
    """Cold model load time by placement (page cache dropped before each load)."""
    s = load_summary(t)
    fig, ax = new_figure(7, 3.5)
    med = s["median"].to_numpy(dtype=float)
    ax.bar(range(len(s)), med, color=[color_for(x, i) for i, x in enumerate(s["target"])])
    whiskers(ax, np.arange(len(s)), med, s["min"], s["max"], s["count"])
    hosts = s["host"].nunique() > 1
    names = [f"{r.host + ' · ' if hosts else ''}{r.engine} · {r.target}" for r in s.itertuples()]
    ax.set_xticks(range(len(s)), names)
    ax.set_ylabel("cold model load (s; whiskers: min–max, n ≥ 3)")
    ax.set_title("Model load time by where the model file lives", fontsize=10)
    return fig


def roofline_chart(roof: pd.DataFrame) -> Figure:
    """tokens/s against bytes of weights read per token; the memory-bandwidth bound as lines."""
    fig, ax = new_figure(8, 4.5)
    sizes = np.logspace(7.5, 11, 50)
    for bw, label in sorted({(r.bandwidth_bps, r.device) for r in roof.itertuples()}):
        ax.plot(
            sizes,
            bw / sizes,
            ls="--",
            lw=1,
            label=f"{label} bound: {bw / 1e9:.0f} GB/s ÷ bytes per token",
        )
    hosts = "host" in roof and roof["host"].nunique() > 1
    for i, r in enumerate(roof.itertuples()):
        if r.achieved_tokens_per_s:
            ax.scatter(
                r.weights_bytes,
                r.achieved_tokens_per_s,
                s=50,
                zorder=3,
                color=color_for(r.target, i),
                label=f"{r.host + ' · ' if hosts else ''}{r.engine} · {r.device} · {r.target}: "
                f"{(r.fraction or 0) * 100:.0f}% of bound",
            )
    post = post_tokens_per_s()
    bound = post["gpu_bandwidth_bps"] / post["model_bytes"]
    ax.plot(
        sizes,
        post["gpu_bandwidth_bps"] / sizes,
        ls=":",
        lw=1,
        color=POST_COLOR,
        label=f"post's GPU bound: {post['gpu_bandwidth_bps'] / 1e9:.0f} GB/s",
    )
    ax.scatter(
        post["model_bytes"],
        post["eval_tokens_per_s"],
        marker="X",
        s=70,
        color=POST_COLOR,
        zorder=3,
        label=f"post: {post['model']} on {post['gpu']}, ~"
        f"{post['eval_tokens_per_s'] / bound * 100:.0f}% of bound",
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("bytes of weights read per generated token (model size, log scale)")
    ax.set_ylabel("generation tokens/s (log scale)")
    ax.set_title(
        "Roofline: generation tokens/s against the memory-bandwidth bound (dashed lines)",
        fontsize=10,
    )
    ax.legend(fontsize=7)
    return fig


TOKENS = Chart(
    "llm-tokens-per-s",
    "fig_tps",
    lambda t, _: tokens_per_s_chart(t),
    lambda t, _: throughput_summary(t),
)
TTFT = Chart(
    "llm-ttft",
    "fig_ttft",
    lambda t, _: ttft_chart(t),
    lambda t, _: throughput_summary(t, "ttft_s"),
)
LOAD = Chart("llm-load", "fig_load", lambda t, _: load_chart(t), lambda t, _: load_summary(t))
ROOFLINE = Chart("llm-roofline", "fig_roof", lambda _, runs: roofline_chart(rooflines(runs)))
CHARTS = (TOKENS, TTFT, LOAD, ROOFLINE)  # in the report and the post, in this order
