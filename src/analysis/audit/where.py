"""`wsl-lab where`: where each path lives, by its file system, and what that place costs.

The live table is this process's `/proc/self/mountinfo`: an existing path is resolved (symlinks
followed) before it is looked up. A saved table (`--mount-table`) is taken as written: its
paths are only made absolute, since they belong to another machine or another moment.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any

from ..errors import ParameterError
from ..places.classify import CROSS_OS, SHARES, SIMULATED, Classified, classify
from ..places.mounts import Mount, covering, local_path, read_table
from ..places.record import Place
from ..share.mount import model_beside
from .costs import Measured, cost_line, costs_for, known_costs

_USER_DIR = re.compile(r"^[A-Za-z]:\\Users\\[^\\]+\\(?P<rest>.+)$", re.IGNORECASE)


@dataclass
class Table:
    """The mount table paths are looked up in: the live one, or a saved one."""

    mounts: list[Mount]
    name: str
    saved: bool

    @classmethod
    def load(cls, saved: Path | None = None) -> Table:
        if saved is not None and not saved.is_file():
            raise ParameterError(f"--mount-table {saved}: no such file")
        return cls(read_table(saved), str(saved) if saved else "/proc/self/mountinfo", bool(saved))

    def resolve(self, path: str) -> str:
        """The path as this table names it; a missing local path is one clear error."""
        if self.saved:
            return os.path.normpath(os.path.abspath(os.path.expanduser(path)))
        if not os.path.lexists(os.path.expanduser(path)):
            raise ParameterError(
                f"{path}: no such file or directory on this machine "
                "(to classify another machine's path, give its table with --mount-table FILE)"
            )
        return local_path(Path(path))


@dataclass
class Costs:
    """The ratios known on this machine, read once and only when a share needs them."""

    raw: Path | None = None
    sample: Path | None = None
    _known: list[Measured] | None = field(default=None, repr=False)

    def known(self) -> list[Measured]:
        if self._known is None:
            self._known = known_costs(self.raw, self.sample)
        return self._known


def wsl_move(windows_path: str | None, home: Path | None = None) -> dict[str, str] | None:
    """Where a project on a Windows drive belongs in WSL, and how Windows reaches it there."""
    if not windows_path:
        return None
    home = home or Path.home()
    m = _USER_DIR.match(windows_path)
    rest = m["rest"].split("\\") if m else [PureWindowsPath(windows_path).name or "work"]
    target = home.joinpath(*rest)
    distro = os.environ.get("WSL_DISTRO_NAME") or "<distro>"
    return {
        "move_to": str(target),
        "from_windows": "\\\\wsl.localhost\\" + distro + str(target).replace("/", "\\"),
    }


def describe_row(
    path: str, resolved: str, mount: Mount | None, place: Classified, costs: Costs | None
) -> dict[str, Any]:
    """One path's row: its mount, class and kind, what the place costs, where to move it."""
    if place.cls == SIMULATED and place.share_model is None and mount is not None:
        model = model_beside(mount.mount_point)  # our bindfs mounts: beside the mount point
        if model:
            place = place.with_model(model)
    row: dict[str, Any] = {
        "path": path,
        "resolved": resolved,
        **Place(path, resolved, mount, place).facts(),
        "windows_path": place.windows_path,
        "transport": place.transport,
        "msize": place.msize,
        "share_model": place.share_model,
        "note": place.note,
        "costs": costs_for(place, costs.known()) if costs and place.is_share else [],
    }
    row["cost"] = cost_line(row["costs"]) if row["costs"] else None
    move = wsl_move(place.windows_path) if place.cls == CROSS_OS and "wsl" in place.kind else None
    row.update(move or {"move_to": None, "from_windows": None})
    return row


def where_rows(paths: list[str], table: Table, costs: Costs | None = None) -> list[dict[str, Any]]:
    """One row per path, in the order given."""
    rows = []
    for path in paths:
        resolved = table.resolve(path)
        mount = covering(table.mounts, resolved)
        rows.append(describe_row(path, resolved, mount, classify(mount, resolved), costs))
    return rows


def on_a_share(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows on a share of any kind: what `--check` fails on."""
    return [r for r in rows if r["class"] in SHARES]


def row_lines(row: dict[str, Any]) -> list[str]:
    """A row as a person reads it: the place, then its cost and where to move it."""
    at = f" at {row['mount_point']}" if row["mount_point"] else ""
    source = row["mount_source"]
    src = f" from {source}" if source and source != "none" else ""
    place = row["place"] if row["class"] in row["place"] else f"{row['class']}: {row['place']}"
    lines = [row["path"], f"  {place}{at}{src}"]
    if row["note"]:
        lines.append(f"  note: {row['note']}")
    if row.get("moved_to"):
        lines.append(
            f"  moved: a wsl-lab plan copied it to {row['moved_to']}; this is the original, "
            "kept until you remove it"
        )
    if row["cost"]:
        lines.append(f"  costs: {row['cost']}")
    for risk in row.get("risks") or []:
        lines.append(f"  risk, {risk['risk']}: {risk['why']} ({risk['because']})")
        lines += [f"    source: {s}" for s in risk["sources"]]
    if row["move_to"]:
        lines.append(f"  move it to {row['move_to']} (from Windows: {row['from_windows']})")
    return lines
