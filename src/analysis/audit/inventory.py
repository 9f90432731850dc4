"""`wsl-lab audit`: every place that matters on this machine, classified, with what it costs.

The current directory and its git repository; every Docker container's bind mounts and
volumes, running or stopped, and every volume; the compose files given; Ollama's models and
the Hugging Face cache; wsl-lab's own data and targets. Only reads: nothing is created,
changed or removed, and an engine that is not there is one note, not a failure.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config, paths
from ..experiments import experiments
from ..places.classify import SHARES, UNKNOWN, Classified, classify
from ..places.mounts import covering, local_path, read_table
from ..targets.target import default_native_dir
from .compose import read_compose
from .engine import Engine, by_form, connect, container_mounts, volume_options, volumes
from .plan import read_ledger
from .risks import load_rules, risks_for, unseen_events
from .where import Costs, describe_row


@dataclass
class Audit:
    """What was found, and the notes on what could not be looked at."""

    items: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Looker:
    """Classifies paths against the live mount table, read once."""

    costs: Costs
    mounts: list = field(default_factory=read_table)

    def local(self, path: str, what: str, item: str, **context: Any) -> dict[str, Any]:
        """A path on this machine; one that does not exist yet is classified where it would
        be created (its nearest existing parent), and says so."""
        expanded = os.path.expanduser(path)
        probe, exists = expanded, os.path.lexists(expanded)
        while not os.path.lexists(probe) and os.path.dirname(probe) != probe:
            probe = os.path.dirname(probe)
        resolved = local_path(Path(probe))
        if not exists:
            resolved = os.path.join(resolved, os.path.relpath(expanded, probe))
        mount = covering(self.mounts, resolved)
        row = describe_row(path, resolved, mount, classify(mount, resolved), self.costs)
        if not exists:
            row["note"] = "; ".join(filter(None, [row["note"], "absent: would be created here"]))
        return {
            "what": what,
            "item": item,
            "exists": exists,
            "by": "mount table",
            **row,
            **context,
        }

    def remote(self, source: str, what: str, item: str, why: str, **context: Any) -> dict:
        """A path as an engine outside our mount table names it, classified by its form."""
        place: Classified = by_form(source)
        row = describe_row(source, source, None, place, self.costs)
        row["note"] = f"{place.note} ({why})"
        return {"what": what, "item": item, "exists": None, "by": "form", **row, **context}


def _git_root(cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=10,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def project_items(look: Looker, cwd: Path) -> list[dict[str, Any]]:
    items = [look.local(str(cwd), "project", "current directory")]
    root = _git_root(cwd)
    if root and os.path.realpath(root) != os.path.realpath(cwd):
        items.append(look.local(root, "project", "git repository"))
    return items


def model_items(look: Looker) -> list[dict[str, Any]]:
    """Ollama's models and the Hugging Face cache, where their tools would look."""
    ollama = os.environ.get("OLLAMA_MODELS") or "~/.ollama/models"
    xdg = os.environ.get("XDG_CACHE_HOME")
    hf = os.environ.get("HF_HOME") or (f"{xdg}/huggingface" if xdg else "~/.cache/huggingface")
    return [
        look.local(
            ollama,
            "models",
            "Ollama models" + (" (OLLAMA_MODELS)" if "OLLAMA_MODELS" in os.environ else ""),
        ),
        look.local(
            hf, "models", "Hugging Face cache" + (" (HF_HOME)" if "HF_HOME" in os.environ else "")
        ),
    ]


def wsl_lab_items(look: Looker, profile: str) -> list[dict[str, Any]]:
    """Where wsl-lab keeps its runs, and the targets the profile measures."""
    items = [look.local(str(paths.RAW), "wsl-lab", "wsl-lab runs (data/raw)")]
    seen = {str(default_native_dir())}
    items.append(look.local(str(default_native_dir()), "wsl-lab", "wsl-lab default target"))
    for exp in experiments().values():
        for spec in getattr(exp.load(profile), "targets", ()) or ():
            label, _, where = str(spec).partition("=")
            where = where.removeprefix("fuse:")
            if where and where not in seen:
                seen.add(where)
                items.append(look.local(where, "wsl-lab", f"{exp.name} target {label}"))
    return items


def _volume_item(
    look: Looker, engine: Engine | None, name: str, vol: dict, **context: Any
) -> dict:
    """A volume, by its driver options when they mount something else, else its mountpoint
    (engine None: a compose file's volume whose options alone tell)."""
    device, place = volume_options(vol.get("options"))
    item = f"volume {name}"
    if place is not None:
        row = describe_row(name, name, None, place, look.costs)
        return {
            "what": "volume",
            "item": item,
            "exists": True,
            "by": "volume options",
            **row,
            **context,
        }
    if device:
        return look.local(device, "volume", item, volume=name, volume_device=device, **context)
    mountpoint = vol.get("mountpoint") or ""
    if engine is not None and not engine.local:
        return look.remote(mountpoint, "volume", item, engine.why_by_form, volume=name, **context)
    return look.local(mountpoint, "volume", item, volume=name, **context)


def engine_items(look: Looker, engine: Engine) -> list[dict[str, Any]]:
    """Each container mount (bind mounts, volumes), then each volume no container uses."""
    vols = volumes(engine)
    used = set()
    items = []
    for m in container_mounts(engine):
        context = {
            k: m[k]
            for k in ("container", "status", "image", "command", "compose_project", "destination")
        }
        label = f"{m['container']}:{m['destination']}"
        what = "Ollama models (container)" if m["ollama_models"] else f"container {m['type']}"
        if m["type"] == "volume" and m["volume"] in vols:
            used.add(m["volume"])
            items.append(_volume_item(look, engine, m["volume"], vols[m["volume"]], **context))
            items[-1].update(what=what, item=label)
        elif m["type"] == "bind" and not engine.local:
            items.append(look.remote(m["source"], what, label, engine.why_by_form, **context))
        elif m["source"]:
            items.append(look.local(m["source"], what, label, **context))
    for name, vol in vols.items():
        if name not in used:
            items.append(_volume_item(look, engine, name, vol, container=None))
    return items


def _unmade_volume(
    look: Looker, name: str, engine: Engine | None, label: str, context: dict
) -> dict[str, Any]:
    """A named volume the engine does not have yet: it will be made in the engine's storage."""
    note = f"named volume {name}: not created yet; it will live in the engine's storage"
    if engine is None:
        note += " (no engine to ask where that is)"
    if engine is not None and engine.local and engine.root_dir:
        row = look.local(os.path.join(engine.root_dir, "volumes"), "compose volume", label)
    else:
        place = Classified(UNKNOWN, "volume", note="no engine to ask where its storage is")
        row = {"exists": False, "by": "compose", **describe_row(name, name, None, place, None)}
    row.update(what="compose volume", item=label, exists=False, note=note, **context)
    return row


def compose_items(look: Looker, files: list[Path], engine: Engine | None) -> list[dict]:
    """The compose files' bind mounts, and their named volumes where the engine has them."""
    vols = volumes(engine) if engine else {}
    items = []
    for file in files:
        for m in read_compose(file):
            context = {
                "compose_file": m.file,
                "compose_project": m.project,
                "read_by": m.read_by,
                "destination": m.target,
                "image": m.image,
                "volume_key": m.volume_key,
            }
            label = f"{m.project}/{m.service}:{m.target}"
            if m.type == "bind":
                items.append(look.local(m.source, "compose bind mount", label, **context))
            elif m.type == "volume" and m.source:
                if engine and m.source in vols:
                    items.append(_volume_item(look, engine, m.source, vols[m.source], **context))
                    items[-1].update(what="compose volume", item=label)
                elif m.volume_options and any(volume_options(m.volume_options)):
                    vol = {"options": m.volume_options, "mountpoint": ""}
                    items.append(_volume_item(look, engine, m.source, vol, **context))
                    items[-1].update(what="compose volume", item=label)
                else:
                    items.append(_unmade_volume(look, m.source, engine, label, context))
    return items


def run_audit(
    compose_files: list[Path],
    profile: str = config.DEFAULT_PROFILE,
    cwd: Path | None = None,
    costs: Costs | None = None,
    say: Callable[[str], None] = print,
) -> Audit:
    """Everything above, in that order; an engine that cannot be reached is a note."""
    look = Looker(costs or Costs())
    audit = Audit()
    audit.items += project_items(look, cwd or Path.cwd())
    engine, why = connect()
    if engine is None:
        audit.notes.append(why or "Docker: no engine")
    else:
        if not engine.local:
            audit.notes.append(f"Docker: {engine.why_by_form}: its paths are classified by form")
        audit.items += engine_items(look, engine)
    audit.items += compose_items(look, compose_files, engine)
    audit.items += model_items(look)
    audit.items += wsl_lab_items(look, profile)
    mark(audit.items)
    return audit


def mark(items: list[dict[str, Any]]) -> None:
    """Each item gets its risks beyond speed; one on a share, the copy a plan made of it."""
    shared = [i for i in items if i["class"] in SHARES]
    moved = read_ledger()
    rules = load_rules()
    watched = any(i["what"] in rules.get("watcher", {}).get("what", ()) for i in shared)
    unseen = unseen_events() if watched else []
    for item in items:
        in_use = bool(item.get("container"))  # still mounted: not yet switched to the copy
        settled = item["class"] in SHARES and not in_use
        item["moved_to"] = moved.get(item["resolved"]) if settled else None
        item["risks"] = risks_for(item, rules, unseen)
