"""Figures: one function per figure returning a Figure, saved by one helper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.category import StrCategoryFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import FixedFormatter, FuncFormatter  # noqa: E402

DPI = 120
POST_HATCH = "//"
POST_NOTE = "hatched = the post's figures (WSL2, 2024)"
PALETTE = {"native": "#2a9d8f", "share": "#e76f51"}
POST_COLOR = "#8d99ae"  # the post's own figures: grey, and hatched


NAMED_TICKS = (FuncFormatter, FixedFormatter, StrCategoryFormatter)  # ticks that are words
CJK_FONTS = ["Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Serif CJK TC", "DejaVu Sans"]


def style() -> None:
    sns.set_theme(style="whitegrid", context="notebook")


def texts(fig: Figure) -> list[Any]:
    """Every piece of text a reader sees in the figure (titles, labels, ticks, legends)."""
    return [t for t in fig.findobj(Text) if t.get_text().strip()]


def localize(fig: Figure, phrases: dict[str, str], cjk: bool) -> Figure:
    """The figure's text in the post's language: each known phrase replaced, longest first,
    in every text the reader sees (tick labels set by name too: they are redrawn from their
    formatter); a CJK font where the language needs one."""
    order = sorted(phrases, key=len, reverse=True)

    def say(text: str) -> str:
        for en in order:
            if en in text:
                text = text.replace(en, phrases[en])
        return text

    if cjk:  # tick labels are made anew when drawn: their font is set on the axes
        for ax in fig.axes:
            ax.tick_params(labelfontfamily=CJK_FONTS[0])
        for t in texts(fig):
            t.set_fontfamily(CJK_FONTS)
    if order:
        fig.canvas.draw()  # tick labels set by name exist once drawn
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if order and isinstance(axis.get_major_formatter(), NAMED_TICKS):
                named = [t.get_text() for t in axis.get_ticklabels()]
                axis.set_ticks(axis.get_ticklocs(), [say(n) for n in named])
    for t in texts(fig):
        t.set_text(say(t.get_text()))
    return fig


def color_for(target: str, i: int = 0) -> str:
    return PALETTE.get(target) or sns.color_palette("deep")[i % 10]


def save(fig: Figure, path: Path) -> Path:
    """PNG at a fixed dpi, tight, and closed: the one way figures leave the package."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", format="png", metadata={"Software": None})
    plt.close(fig)
    return path


def new_figure(width: float = 9, height: float = 4.5) -> tuple[Figure, plt.Axes]:
    style()
    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


@dataclass(frozen=True)
class Chart:
    """One named figure of an experiment, declared once in its figures.py: the report saves
    it as <name>.png, the post shows it with its caption, a notebook shows it and its data."""

    name: str  # the file stem, <experiment>-<what>
    caption: str  # the post's caption key in the experiment's words
    draw: Callable[[Any, list[Path]], Figure]  # (table, run dirs) -> the figure
    data: Callable[[Any, list[Path]], Any] | None = None  # (table, run dirs) -> what it plots

    def render(
        self,
        table: Any,
        run_dirs: list[Path],
        note: str = "",
        phrases: dict[str, str] | None = None,
        cjk: bool = False,
    ) -> Figure:
        """The figure as the post shows it: what the run was on its first line (its size,
        profile, and whether the share was simulated), its text in the post's language."""
        fig = self.draw(table, run_dirs)
        if note:
            fig.suptitle(note, fontsize=8, color="#555555", y=1.0, va="bottom")
        return localize(fig, phrases or {}, cjk)


def whiskers(ax: plt.Axes, x: Any, mid: Any, low: Any, high: Any, n: Any) -> None:
    """Whiskers from low to high where n ≥ 3 (fewer repetitions are no spread), and n = …
    above every bar."""
    mid = np.asarray(mid, dtype=float)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = (n >= 3) & ~np.isnan(low) & ~np.isnan(high)
    if ok.any():
        err = np.vstack([mid[ok] - low[ok], high[ok] - mid[ok]])
        ax.errorbar(np.asarray(x)[ok], mid[ok], yerr=err, fmt="none", ecolor="black", capsize=4)
    for xi, m, ni in zip(x, mid, n, strict=True):
        if not np.isnan(m):
            ax.annotate(
                f"n={int(ni)}",
                (xi, m),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
            )
