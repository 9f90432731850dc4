"""One record of where a path lives, and its one dict form: written into run manifests
(`targets.<label>`), printed by `wsl-lab where`/`audit`, and read back by the report."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .classify import SIMULATED, Classified, classify
from .mounts import Mount, local_path, mount_of


@dataclass(frozen=True)
class Place:
    """A path, the mount that holds it, its class and kind, and the room there (when asked)."""

    path: str
    real_path: str | None
    mount: Mount | None
    place: Classified
    free_bytes: int | None = None
    total_bytes: int | None = None

    @classmethod
    def of(cls, path: Path) -> Place:
        """This machine's path, from the live mount table, with its free space."""
        m = mount_of(path)
        try:
            usage = shutil.disk_usage(path)
            free, total = usage.free, usage.total
        except OSError:
            free = total = None
        real = local_path(path)
        return cls(str(path), real, m, classify(m, real), free, total)

    @classmethod
    def from_facts(cls, facts: dict[str, Any]) -> Place:
        """A place as a manifest recorded it (runs from before classes were recorded are
        classified the same way); a simulated share's model from the manifest."""
        mount = None
        if facts.get("fstype"):
            mount = Mount(
                facts.get("mount_point") or "/",
                facts["fstype"],
                facts.get("mount_source") or "",
                facts.get("mount_options") or "",
                facts.get("mount_root") or "/",
            )
        place = classify(mount, facts.get("real_path"))
        if place.cls == SIMULATED and facts.get("share_model"):
            place = place.with_model(facts["share_model"])
        return cls(
            facts.get("path") or "",
            facts.get("real_path"),
            mount,
            place,
            facts.get("free_bytes"),
            facts.get("total_bytes"),
        )

    def facts(self) -> dict[str, Any]:
        """The dict form: the keys every manifest, `where` row and report reads."""
        m = self.mount
        return {
            "path": self.path,
            "real_path": self.real_path,
            "fstype": m.fstype if m else None,
            "mount_point": m.mount_point if m else None,
            "mount_source": m.source if m else None,
            "mount_options": m.options if m else None,
            "mount_root": m.root if m else None,
            "class": self.place.cls,
            "kind": self.place.kind,
            "place": self.place.describe(),
            "free_bytes": self.free_bytes,
            "total_bytes": self.total_bytes,
        }


def filesystem_facts(path: Path) -> dict[str, Any]:
    """Where a path lives, for a run's manifest: mount, file system, class and free space."""
    return Place.of(path).facts()


def recorded_place(facts: dict[str, Any]) -> Classified:
    """The class of a place a manifest recorded."""
    return Place.from_facts(facts).place
