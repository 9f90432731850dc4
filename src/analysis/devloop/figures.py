"""The dev-loop figures: full build time, and how long an edit takes to show, by placement."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..plots import POST_HATCH, POST_NOTE, Chart, color_for, new_figure
from .summary import build_summary, edit_summary


def build_chart(t: pd.DataFrame) -> Figure:
    """Full `jekyll build` seconds per placement (log scale); hatched: the published post."""
    s = build_summary(t)
    fig, ax = new_figure(7, 3.8)
    labels = [f"{r.target} ({'post' if r.source == 'post' else r.host})" for r in s.itertuples()]
    ax.bar(
        range(len(s)),
        s["median"],
        color=[color_for(r.target, i) for i, r in enumerate(s.itertuples())],
        hatch=[POST_HATCH if r.source == "post" else None for r in s.itertuples()],
        edgecolor="white",
    )
    ax.set_xticks(range(len(s)), labels)
    ax.set_yscale("log")
    ax.set_ylabel("full build, seconds (log scale)")
    ax.set_title(f"Jekyll full build by where the source lives\n{POST_NOTE}", fontsize=10)
    return fig


def edit_chart(t: pd.DataFrame) -> Figure:
    """Seconds from saving a post to the rebuilt page, per placement × watch mode × side;
    an edit whose change event never arrived is a dashed bar at the timeout, a lower bound."""
    s = edit_summary(t)
    s = s[s["source"] == "measured"]
    groups = list(dict.fromkeys(zip(s["host"], s["target"], strict=True)))
    cases = list(dict.fromkeys(zip(s["watch"], s["side"], strict=True)))
    fig, ax = new_figure(9, 4)
    x = np.arange(len(groups))
    width = 0.8 / max(len(cases), 1)
    limits = s["timeout_s"].dropna()
    measured = s["rebuild_s"].dropna()
    top = float(limits.max()) if len(limits) else float(measured.max()) if len(measured) else 1.0
    for i, (watch, side) in enumerate(cases):
        c = s[(s["watch"] == watch) & (s["side"] == side)].set_index(["host", "target"])
        pos = x - 0.4 + width * (i + 0.5)
        for p, g in zip(pos, groups, strict=True):
            if g not in c.index:
                continue
            row = c.loc[g]
            if row["delivered"]:
                ax.bar(
                    p,
                    row["rebuild_s"],
                    width,
                    color=color_for("", i),
                    label=f"{watch}, edit from {side}",
                )
            else:
                ax.bar(
                    p,
                    top,
                    width,
                    facecolor="none",
                    edgecolor=color_for("", i),
                    linestyle="--",  # dashes: a lower bound (it took at least this, or never)
                    label=f"{watch}, edit from {side}",
                )
                ax.annotate(
                    f"≥ {top:g} s:\nnot delivered",
                    (p, top),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                )
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), fontsize=8)
    ax.set_xticks(x, [f"{tg} ({h})" for h, tg in groups])
    ax.set_ylabel("seconds from save to the rebuilt page")
    ax.set_title(
        "jekyll --watch: does a change arrive, and how fast (dashed ≥: not within the timeout)",
        fontsize=10,
    )
    return fig


BUILD = Chart(
    "devloop-build",
    "fig_devloop_build",
    lambda t, _: build_chart(t),
    lambda t, _: build_summary(t),
)
EDIT = Chart(
    "devloop-edit", "fig_devloop_edit", lambda t, _: edit_chart(t), lambda t, _: edit_summary(t)
)
CHARTS = (BUILD, EDIT)  # in the report and the post, in this order
