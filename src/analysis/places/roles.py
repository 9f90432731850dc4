"""Which of a run's targets a report compares with which, by what each place is.

- `native`: the native place (the target labelled `native`, else the first native one);
- `share`: the place the post's question is about: the real cross-OS (or network) share
  when the run has one (on WSL, `windows`), else the simulated share;
- `simulated`: a simulated share measured beside a real one: the live fidelity check;
- `""`: any other target (shown in the figures, not compared).

Runs from before places were classified are classified from their recorded mount.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..runs import load_manifest
from .classify import CROSS_OS, NATIVE, NETWORK, SIMULATED
from .record import recorded_place

ROLES = ("native", "share", "simulated")


def place_class(facts: dict[str, Any]) -> str:
    """A target's class as its run recorded it (fuse targets are simulated shares)."""
    if facts.get("class"):
        return facts["class"]
    if facts.get("fuse"):
        return SIMULATED
    return recorded_place(facts).cls if facts.get("fstype") else ""


def roles(targets: dict[str, dict[str, Any]]) -> dict[str, str]:
    """label -> role for one run's targets."""
    cls = {label: place_class(f) for label, f in targets.items()}
    native = [lb for lb, c in cls.items() if c == NATIVE]
    real = [lb for lb, c in cls.items() if c in (CROSS_OS, NETWORK)]
    simulated = [lb for lb, c in cls.items() if c == SIMULATED]
    out = dict.fromkeys(targets, "")
    if native:
        out["native" if "native" in native else native[0]] = "native"
    if real:
        out[real[0]] = "share"
        if simulated:
            out[simulated[0]] = "simulated"
    elif simulated:
        out[simulated[0]] = "share"
    return out


def with_roles(table: pd.DataFrame, run_dirs: list[Path]) -> pd.DataFrame:
    """The table with each row's `role` and `place` (class): measured rows by their run's
    targets, the post's rows (any other source) by their own label (its share is /mnt/c)."""
    role: dict[tuple[str, str], str] = {}
    place: dict[tuple[str, str], str] = {}
    for d in run_dirs:
        m = load_manifest(d)
        targets = m.get("targets", {})
        for label, r in roles(targets).items():
            role[(m["run_id"], label)] = r
            place[(m["run_id"], label)] = place_class(targets[label])
    post = {"native": NATIVE, "share": CROSS_OS}
    keys = list(zip(table["run_id"], table["target"], strict=True))
    is_post = (
        table["source"] != "measured" if "source" in table else pd.Series(False, index=table.index)
    )
    return table.assign(
        role=[
            t if p else role.get(k, "")
            for k, t, p in zip(keys, table["target"], is_post, strict=True)
        ],
        place=[
            post.get(t, "") if p else place.get(k, "")
            for k, t, p in zip(keys, table["target"], is_post, strict=True)
        ],
    )


def label_of(targets: dict[str, dict[str, Any]], role: str) -> str | None:
    """The label of the target with this role in one run (None: no such target)."""
    return next((lb for lb, r in roles(targets).items() if r == role), None)


def real_share(t: pd.DataFrame, host: str) -> bool:
    """Whether this host's place with role `share` is a real one (else it is the simulation)."""
    rows = t[(t["source"] == "measured") & (t["host"] == host) & (t["role"] == "share")]
    return bool(rows["place"].isin([CROSS_OS, NETWORK]).any())
