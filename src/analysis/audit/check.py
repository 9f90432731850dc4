"""`wsl-lab audit --check`: which items fail it, which the user accepts, and why.

An item fails when it is on a share (or at risk of data loss where it is), was not moved by a
plan, is not accepted in the ignore file, and either carries a data-loss risk, or its largest
measured slowdown is at least `--min-slowdown`, or its cost was never measured (unknown is not
small). The ignore file holds
one shell-style pattern per line, matched against an item's name (`db:/qdrant/storage`) or its
path; `#` starts a comment.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from ..places.classify import SHARES

IGNORE_FILE = ".wsl-lab-ignore"
MIN_SLOWDOWN = 2.0


@dataclass(frozen=True)
class Pattern:
    text: str
    where: str  # FILE:LINE


def read_ignore(path: Path | None, default: Path) -> list[Pattern]:
    """The patterns of the named ignore file (which must exist), else of the default one."""
    if path is not None and not path.is_file():
        raise ParameterError(f"--ignore {path}: no such file (one pattern per line)")
    path = path or default
    if not path.is_file():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if text:
            out.append(Pattern(text, f"{path}:{n}"))
    return out


def slowdown(item: dict[str, Any]) -> float | None:
    """The item's largest measured share/native ratio (None: none measured)."""
    ratios = [c["ratio"] for c in item.get("costs") or [] if c["ratio"] is not None]
    return max(ratios) if ratios else None


def verdicts(
    items: list[dict[str, Any]], patterns: list[Pattern], min_slowdown: float
) -> list[tuple[dict[str, Any], str, bool]]:
    """(item, why, fails) for every item on a share, or at risk of data loss, not moved."""
    out = []
    for item in items:
        risky = any(r["risk"] == "data loss" for r in item.get("risks") or [])
        if (item["class"] not in SHARES and not risky) or item.get("moved_to"):
            continue
        accepted = next(
            (
                p
                for p in patterns
                if fnmatch.fnmatchcase(item["item"], p.text)
                or fnmatch.fnmatchcase(str(item["path"]), p.text)
            ),
            None,
        )
        worst = slowdown(item)
        if accepted:
            out.append((item, f"accepted ({accepted.where}: {accepted.text})", False))
        elif risky:
            out.append((item, "data-loss risk", True))
        elif worst is None:
            out.append((item, "cost not measured", True))
        elif worst >= min_slowdown:
            out.append((item, f"{worst:.1f}× slower", True))
        else:
            out.append((item, f"{worst:.1f}× slower, under {min_slowdown:g}×", False))
    return out
