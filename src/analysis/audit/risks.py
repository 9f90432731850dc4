"""Risks beyond speed: a place that is unsafe for what lives there, each rule with its sources.

The rules are data (`config/risks.toml`): databases whose memory-mapped storage must not sit on
a share (known by their image, their data's destination in the container, or their command),
and file watchers on a project folder across a share whose change events did not arrive when
the dev-loop experiment edited the files from the other side. The watcher rule fires only on
what a run measured; with no such run it says nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..experiments import experiments
from ..places.record import recorded_place
from ..runs import complete_runs, load_manifest

RULES = paths.CONFIG / "risks.toml"


def load_rules(path: Path = RULES) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _repository(image: str) -> str:
    """`docker.io/qdrant/qdrant:v1.12.4` -> `qdrant/qdrant` (registry, tag and digest gone)."""
    name = image.split("@")[0]
    head, _, last = name.rpartition("/")
    name = (head + "/" if head else "") + last.split(":")[0]
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        name = rest
    return name


def _is_database(rule: dict[str, Any], item: dict[str, Any]) -> str | None:
    """What made the item this database's storage (its image, destination or command)."""
    image = item.get("image") or ""
    if image and any(_repository(image).endswith(i) for i in rule.get("images", ())):
        return f"image {image}"
    dest = item.get("destination") or ""
    known = rule.get("destinations", ())
    if any(dest == d or dest.startswith(d.rstrip("/") + "/") for d in known):
        return f"mounted at {dest}"
    command = (item.get("command") or "").split()
    if command and command[0] in rule.get("commands", ()):
        return f"command {command[0]}"
    return None


@dataclass(frozen=True)
class Unseen:
    """Change events that did not arrive across a place of this class, in one dev-loop run."""

    cls: str
    run_id: str
    timeout_s: float


def unseen_events(raw: Path | None = None, sample: Path | None = None) -> list[Unseen]:
    """From the latest dev-loop run (this machine's, else the sample's) that edited files from
    the other side of a share: each share class whose change events did not arrive."""
    devloop = experiments().get("devloop")
    if devloop is None:
        return []
    for root in (raw or paths.RAW, sample or paths.SAMPLE / "raw"):
        runs = complete_runs("devloop", root, say=lambda _m: None)
        for run in reversed(runs):
            table = devloop.table([run])
            edits = table[
                (table["metric"] == "rebuild_s")
                & (table["side"] == "other")
                & (table["watch"] == "events")
            ]
            if edits.empty:
                continue
            targets = load_manifest(run).get("targets") or {}
            out = []
            for label, rows in edits.groupby("target"):
                if label in targets and not bool(rows["delivered"].fillna(False).all()):
                    cls = recorded_place(targets[label]).cls
                    out.append(Unseen(cls, run.name, float(rows["timeout_s"].max())))
            return out
    return []


def _on(item: dict[str, Any]) -> str:
    if item["class"] in ("native", "unknown"):
        return f"{item.get('fstype') or item['class']}"
    return f"a {item['class']}"


def risks_for(
    item: dict[str, Any], rules: dict[str, Any], unseen: list[Unseen]
) -> list[dict[str, Any]]:
    """The risks the rules see in one audit item (a row of `wsl-lab audit`)."""
    out = []
    fstype = item.get("fstype") or ""
    for rule in rules.get("database", []):
        by_type = any(
            fstype == t or (t.endswith(".") and fstype.startswith(t))
            for t in rule.get("unsafe_fstypes", ())
        )
        if item["class"] not in rule["unsafe_on"] and not by_type:
            continue
        because = _is_database(rule, item)
        if because:
            out.append(
                {
                    "risk": "data loss",
                    "about": rule["name"],
                    "because": because,
                    "why": f"{rule['name']} on {_on(item)}: {rule['why']}",
                    "sources": list(rule["sources"]),
                }
            )
    watcher = rules.get("watcher") or {}
    if item["what"] in watcher.get("what", ()):
        seen = next((u for u in unseen if u.cls == item["class"]), None)
        if seen is not None:
            out.append(
                {
                    "risk": "missed changes",
                    "about": "file watchers",
                    "because": f"dev-loop run {seen.run_id}",
                    "why": watcher["why"].format(timeout=seen.timeout_s, run=seen.run_id),
                    "sources": list(watcher["sources"]),
                }
            )
    return out
