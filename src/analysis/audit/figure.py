"""The audit as a picture: each item on its place, coloured by class, its cost beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..places.classify import CLASSES
from ..plots import new_figure, save

CLASS_COLORS = {
    "native": "#2a9d8f",
    "cross-os share": "#e76f51",
    "network share": "#e9c46a",
    "simulated share": "#f4a261",
    "unknown": "#8d99ae",
}


def _cost(item: dict[str, Any]) -> str:
    """The first two measured ratios, or why there are none."""
    known = [c for c in item.get("costs") or [] if c["ratio"] is not None]
    if known:
        simulated = " (simulated)" if "simulated" in known[0]["basis"] else ""
        return ", ".join(f"{c['label']} {c['ratio']:.0f}×" for c in known[:2]) + simulated
    if item["class"] == "native":
        return "native: the baseline"
    return "cost not measured"


def audit_figure(items: list[dict[str, Any]]) -> Figure:
    """One row per item, grouped by the place it lives on (mount point and kind)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        key = f"{it.get('mount_point') or '?'} — {it['place']}"
        groups.setdefault(key, []).append(it)
    n = len(items) + len(groups)
    fig, ax = new_figure(13, max(2.5, 0.32 * n + 1))
    y = n
    for place, group in groups.items():
        y -= 1
        ax.text(0, y, place, fontsize=9, fontweight="bold", va="center")
        for it in group:
            y -= 1
            color = CLASS_COLORS.get(it["class"], CLASS_COLORS["unknown"])
            ax.barh(y, 0.42, left=0.02, height=0.7, color=color)
            ax.text(0.23, y, it["class"], fontsize=7, va="center", ha="center", color="white")
            label = f"{it['item']}  {it['path']}"
            label = label if len(label) <= 70 else label[:67] + "…"
            ax.text(0.5, y, label, fontsize=8, va="center")
            ax.text(2.05, y, _cost(it), fontsize=8, va="center", color="#333333")
    ax.set_xlim(0, 3.2)
    ax.set_ylim(-0.5, n)
    ax.axis("off")
    shown = [c for c in CLASSES if any(it["class"] == c for it in items)]
    ax.legend(
        handles=[Patch(color=CLASS_COLORS[c], label=c) for c in shown],
        loc="upper right",
        fontsize=8,
        frameon=False,
        bbox_to_anchor=(1.0, 1.08),
        ncol=len(shown),
    )
    ax.set_title("Where your files live, and what each place costs", loc="left", fontsize=11)
    return fig


def save_audit_figure(items: list[dict[str, Any]], path: Path) -> Path:
    """The audit's figure, written to path."""
    return save(audit_figure(items), path)
