"""The post's first screen: where code, Docker volumes and model files should live on the
machine that ran it, each with what the wrong place cost there (a range over the run's
repetitions), and one paragraph of what the run was. Every word comes from the runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..headlines import BY_KEY, Headline, values
from ..places.classify import SIMULATED
from ..places.roles import label_of, place_class
from ..plots import PALETTE, POST_HATCH, POST_NOTE, new_figure
from ..runs import load_manifest
from ..stats import number

# what lives where, and the headlines that tell its cost there, in the order they are quoted
PLACES = (
    ("code", ("git_status", "full_build", "byte_writes", "file_creation")),
    ("volumes", ("qdrant_cold_start", "qdrant_ingest")),
    ("models", ("model_load",)),
)
WORTH_MOVING = 1.5  # below this ratio the answer says the place matters little


def spread(table: pd.DataFrame, h: Headline, native: str, share: str) -> dict[str, Any] | None:
    """The ratio's low and high over the repetitions (the least and most a repetition could
    have cost: the slowest share run against the fastest native one and back) and n."""
    for metric in h.metrics:
        a, b = values(table, native, metric), values(table, share, metric)
        if a and b:
            if h.rate:  # native / share
                low, high = min(a) / max(b), max(a) / min(b)
            else:  # share / native
                low, high = min(b) / max(a), max(b) / min(a)
            return {"low": low, "high": high, "n": min(len(a), len(b))}
    return None


def _labels(table: pd.DataFrame) -> tuple[str | None, str | None]:
    """The native and the share target's labels of a one-host table, by role."""
    measured = table[table["source"] == "measured"] if "source" in table else table
    by_role = dict(zip(measured["role"], measured["target"], strict=False))
    return by_role.get("native"), by_role.get("share")


def unconverged(run_dirs: dict[str, list[Path]], host: str) -> set[str]:
    """Headlines this host's runs' profile does not measure within 25% of standard's (their
    `unconverged` parameter): the post says "not measured at this size" for them."""
    out: set[str] = set()
    for d in (d for ds in run_dirs.values() for d in ds):
        m = load_manifest(d)
        if m["host"]["hostname"] == host:
            out |= set(m["parameters"].get("unconverged") or ())
    return out


def costs(
    tables: dict[str, pd.DataFrame], host: str, skip: set[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Every headline this host measured on both sides (but those to skip): its spread."""
    out = {}
    for key in (k for _, keys in PLACES for k in keys if k not in (skip or set())):
        h = BY_KEY[key]
        table = tables.get(h.experiment)
        if table is None:
            continue
        mine = table[table["host"] == host]
        native, share = _labels(mine)
        found = spread(mine, h, native, share) if native and share else None
        if found:
            out[key] = found
    return out


def verdict(t: dict, sim: float, low: float | None, high: float | None, bound: bool) -> str:
    """How the simulated ratio stands against the post's real one: holds, over- or
    undershoots, by how much (the fidelity table's test: within 2×)."""
    if low is None:
        return ""
    hi = high if high is not None else low
    post = f"{low:.1f}–{hi:.1f}" if hi != low else f"{low:.1f}"
    if bound:
        post = "≥ " + post
    if sim > hi * 2 and not bound:
        return t["verdict_over"].format(post=post, f=sim / hi)
    if sim < low / 2:
        return t["verdict_under"].format(post=post, f=low / sim)
    return t["verdict_holds"].format(post=post)


def times(x: float) -> str:
    """A ratio as a reader reads it: whole above ten, one decimal below."""
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def spaced(word: str) -> str:
    """A term before Chinese text, with the space Taiwan's usage puts after Latin letters."""
    return word + " " if word[-1:].isascii() and word[-1:].isalnum() else word


def _cost_words(t: dict, key: str, c: dict[str, Any]) -> str:
    label = t["headline_words"][key]
    label = spaced(label) if t["cjk"] else label
    lo, hi = times(c["low"]), times(c["high"])
    if lo == hi:
        return t["cost_one"].format(what=label, x=lo, n=c["n"])
    return t["cost_range"].format(what=label, lo=lo, hi=hi, n=c["n"])


def answer_lines(
    t: dict,
    tables: dict[str, pd.DataFrame],
    host: str,
    fidelity: pd.DataFrame | None,
    skip: set[str] | None = None,
) -> list[str]:
    """One line per kind of thing: where it should live, and what the share cost here; a
    headline the profile's size does not measure well is named as such, with no number."""
    skip = skip or set()
    found = costs(tables, host, skip)
    lines = []
    for place, keys in PLACES:
        mine = [k for k in keys if k in found]
        if not mine:
            lines.append("- " + t[f"answer_{place}"].format(costs=t["not_measured"]))
            continue
        words = [_cost_words(t, k, found[k]) for k in mine]
        worst = max(found[k]["high"] for k in mine)
        key = f"answer_{place}" if worst >= WORTH_MOVING else "answer_little"
        line = t[key].format(costs=t["list_sep"].join(words), what=t["place_words"][place])
        for k in mine:
            v = _verdict_for(t, BY_KEY[k], fidelity, host)
            if v:
                line += t["verdict_sep"] + v
        left = [t["headline_words"][k] for k in keys if k in skip]
        if left:
            line += t["verdict_sep"] + t["left_out"].format(
                what=t["list_sep"].join(left), why=t["not_converged"]
            )
        lines.append("- " + line)
    return lines


def _verdict_for(t: dict, h: Headline, fidelity: pd.DataFrame | None, host: str) -> str:
    """The fidelity verdict of a headline measured on the simulated share, worded."""
    if fidelity is None or fidelity.empty or not h.workload:
        return ""
    rows = fidelity[(fidelity["key"] == h.key) & (fidelity["host"] == host)]
    if rows.empty or number(rows["real"].iloc[0]) is not None:
        return ""  # a real share was measured: nothing simulated to qualify
    r = rows.iloc[0]
    sim = number(r["simulated"])
    if sim is None:
        return ""
    words = verdict(t, sim, number(r["post_low"]), number(r["post_high"]), bool(r["post_note"]))
    return t["verdict_of"].format(what=t["headline_words"][h.key], verdict=words)


def share_words(t: dict, run_dirs: list[Path], host: str) -> str:
    """What the share was: the real place by its mount, or the simulation and its model."""
    for d in run_dirs:
        m = load_manifest(d)
        if m["host"]["hostname"] != host:
            continue
        targets = m.get("targets", {})
        label = label_of(targets, "share")
        if not label:
            continue
        facts = targets[label]
        if place_class(facts) == SIMULATED:
            return t["share_simulated"].format(model=facts.get("share_model") or "?")
        return t["share_real"].format(mount=facts.get("mount_point") or "?")
    return t["not_measured"]


def run_paragraph(t: dict, run_dirs: dict[str, list[Path]], host: str, runs: list[str]) -> str:
    """What the run was: the share, then each experiment's profile, sizes, repetitions and
    engine (its own words, from its manifest's parameters)."""
    every = [d for ds in run_dirs.values() for d in ds]
    return t["run_was"].format(
        host=host,
        share=share_words(t, every, host),
        runs=t["item_sep"].join(runs),
    )


def answer_figure(
    tables: dict[str, pd.DataFrame],
    fidelity: pd.DataFrame | None,
    host: str,
    model: str | None,
    skip: set[str] | None = None,
) -> Figure:
    """The post's logo: how many times slower each headline was on the share, grouped by what
    lives there (log scale), the post's own WSL2 ratio hatched beside where it has one, and a
    range bar where there were repetitions."""
    found = costs(tables, host, skip)
    rows = [(place, k) for place, keys in PLACES for k in keys if k in found]
    fig, ax = new_figure(8, 0.6 + 0.45 * max(len(rows), 1))
    for i, (_place, key) in enumerate(rows):
        c = found[key]
        mid = (c["low"] * c["high"]) ** 0.5
        ax.barh(i, mid, height=0.38, color=PALETTE["share"])
        if c["n"] >= 2 and c["high"] > c["low"] * 1.05:
            ax.plot([c["low"], c["high"]], [i, i], color="black", lw=1.2)
        lo, hi = times(c["low"]), times(c["high"])
        ax.annotate(f"{lo}–{hi}×" if lo != hi else f"{lo}×", (c["high"], i), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)  # fmt: skip
        post, bound = _post_ratio(BY_KEY[key], fidelity, host)
        if post is not None:  # the post's own: hatched; dashed where it is only a lower bound
            ax.barh(i + 0.4, post, height=0.3, color=PALETTE["share"], hatch=POST_HATCH,
                    edgecolor="black" if bound else "white", linestyle="--" if bound else "-",
                    linewidth=0.8 if bound else 0)  # fmt: skip
            if bound:
                ax.annotate(f"≥ {times(post)}×", (post, i + 0.4), xytext=(4, 0),
                            textcoords="offset points", va="center", fontsize=7)  # fmt: skip
    ax.set_yticks(range(len(rows)), [f"{BY_KEY[k].label} ({p})" for p, k in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1, color="black", lw=0.8)
    ax.set_xlabel("times slower on the share than native (log scale)")
    share = f"simulated share, model {model}" if model else "the real share"
    ax.set_title(
        f"Where files should live: what the share cost on {host} ({share})\n{POST_NOTE}",
        fontsize=10,
    )
    return fig


def _post_ratio(
    h: Headline, fidelity: pd.DataFrame | None, host: str
) -> tuple[float | None, bool]:
    """The post's own ratio for a headline (its upper end where it gives a range), and
    whether it is only a lower bound (its native side was too fast to time)."""
    if fidelity is None or fidelity.empty or not h.workload:
        return None, False
    rows = fidelity[(fidelity["key"] == h.key) & (fidelity["host"] == host)]
    if rows.empty:
        return None, False
    r = rows.iloc[0]
    return number(r["post_high"]) or number(r["post_low"]), bool(r["post_note"])
