"""Run registry: one exclusive directory per measurement, described by its manifest.json."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import hostinfo, owner, paths
from .errors import ExperimentError
from .interrupts import sigint_ignored, terminate_as_interrupt

MANIFEST = "manifest.json"
STATUSES = ("running", "complete", "failed", "interrupted", "abandoned")


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(ts: datetime) -> str:
    return ts.isoformat(timespec="milliseconds")


def git_state(root: Path | None = None) -> dict[str, Any]:
    """Short sha and dirty flag of the repository, or nulls outside git."""
    root = root or paths.ROOT

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    sha = git("rev-parse", "--short=7", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"sha": sha, "dirty": bool(status) if status is not None else None}


def new_run_id(now: datetime, sha: str | None) -> str:
    host = socket.gethostname().split(".")[0].lower() or "host"
    host = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in host)[:20]
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{host}-{sha or 'nogit'}"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


SEAL = "seal"  # the manifest's own checksum, written last: its other numbers are data too


def seal_of(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest without its seal, as canonical JSON (sorted keys, no spaces)."""
    body = {k: v for k, v in manifest.items() if k not in (SEAL, "_path")}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    os.replace(tmp, path)


@dataclass
class Run:
    """One measurement run on disk; the manifest is rewritten after every change."""

    experiment: str
    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return self.path.name

    def save(self) -> None:
        write_json_atomic(self.path / MANIFEST, self.manifest)

    def file(self, *parts: str) -> Path:
        """A path for a tool's output inside the run directory (parents created)."""
        p = self.path.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def target(self, label: str) -> dict[str, Any]:
        return self.manifest["targets"].setdefault(label, {"status": "pending"})

    def set_target(self, label: str, **facts: Any) -> None:
        self.target(label).update(facts)
        self.save()

    def finish(self, status: str, error: str | None = None) -> None:
        assert status in STATUSES
        self.manifest["status"] = status
        self.manifest["ended_utc"] = iso(utc_now())
        if error:
            self.manifest["error"] = error
        self.manifest["files"] = {
            str(p.relative_to(self.path)): sha256_file(p)
            for p in sorted(self.path.rglob("*"))
            if p.is_file() and p.name != MANIFEST and not p.name.startswith(".")
        }
        self.manifest[SEAL] = seal_of(self.manifest)
        self.save()


def create_run(
    experiment: str, params: dict[str, Any], root: Path | None = None, tools: dict | None = None
) -> Run:
    """Create `<root>/<experiment>/<run-id>/` exclusively; a clash gets a numeric suffix.
    Runs under root whose process is gone are marked abandoned first."""
    settle(root, by=f"wsl-lab run {experiment}")
    base = (root or paths.RAW) / experiment
    base.mkdir(parents=True, exist_ok=True)
    now = utc_now()
    git = git_state()
    stem = new_run_id(now, git["sha"])
    for n in range(1, 1000):
        path = base / (stem if n == 1 else f"{stem}-{n}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        break
    else:
        raise ExperimentError(f"could not create a run directory under {base}")
    run = Run(experiment, path)
    run.manifest = {
        "experiment": experiment,
        "run_id": path.name,
        "status": "running",
        "started_utc": iso(now),
        "ended_utc": None,
        "git": git,
        "parameters": params,
        "tools": tools or {},
        "host": hostinfo.host_facts(),
        "owner": owner.identity(),  # who runs it: a later command tells a dead run by this
        "targets": {},
    }
    run.save()
    return run


def settle(root: Path | None = None, by: str = "wsl-lab") -> list[dict[str, Any]]:
    """Mark every `running` run under root whose process is gone as `abandoned`, with when,
    why and by which command that was found; its measured files stay. Returns those runs."""
    found = []
    for m in list_runs(root):
        if m.get("status") != "running":
            continue
        why = owner.gone(m.get("owner"))
        if why is None:
            continue
        path = Path(m.pop("_path"))
        m["status"] = "abandoned"
        m["abandoned"] = {"found_utc": iso(utc_now()), "why": why, "found_by": by}
        for t in (m.get("targets") or {}).values():
            if t.get("status") in ("running", "pending"):
                t["status"] = "abandoned"
        write_json_atomic(path / MANIFEST, m)
        m["_path"] = str(path)
        found.append(m)
    return found


@contextlib.contextmanager
def recording(run: Run) -> Iterator[Run]:
    """Mark the run complete, failed or interrupted, whatever happens inside."""
    try:
        with terminate_as_interrupt():
            yield run
    except KeyboardInterrupt:
        # A second Ctrl-C while writing the manifest must not leave it 'running'.
        with sigint_ignored():
            run.finish("interrupted", "interrupted by the user (Ctrl-C or SIGTERM)")
        raise
    except Exception as exc:
        run.finish("failed", f"{type(exc).__name__}: {exc}")
        raise
    else:
        targets = run.manifest["targets"].values()
        failed = [t for t in targets if t.get("status") == "failed"]
        status = "failed" if targets and len(failed) == len(targets) else "complete"
        run.finish(status, "every target failed" if status == "failed" else None)


def rep_names(reps: int, warmup: int = 0) -> list[str]:
    """w1..wN (warm-ups, measured and discarded), then r1..rM."""
    return [f"w{i}" for i in range(1, warmup + 1)] + [f"r{i}" for i in range(1, reps + 1)]


def load_manifest(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))


def list_runs(root: Path | None = None, experiment: str | None = None) -> list[dict[str, Any]]:
    """Every run's manifest under root (newest last); unreadable manifests are listed as such."""
    root = root or paths.RAW
    found = []
    for manifest in sorted(root.glob(f"{experiment or '*'}/*/{MANIFEST}")):
        try:
            m = load_manifest(manifest.parent)
        except (OSError, json.JSONDecodeError) as exc:
            m = {
                "experiment": manifest.parent.parent.name,
                "run_id": manifest.parent.name,
                "status": f"unreadable ({exc.__class__.__name__})",
            }
        m["_path"] = str(manifest.parent)
        found.append(m)
    return sorted(found, key=lambda m: (m.get("started_utc") or "", m.get("run_id", "")))


def verify_run(run_dir: Path) -> list[str]:
    """Files changed, missing or added since the run ended, the manifest itself included
    (empty when intact)."""
    m = load_manifest(run_dir)
    recorded: dict[str, str] = m.get("files") or {}
    problems = []
    if m.get("status") != "running":
        if SEAL not in m:
            problems.append(f"{MANIFEST}: not sealed (made before runs were, or its seal removed)")
        elif m[SEAL] != seal_of(m):
            problems.append(f"{MANIFEST}: changed after the run ended (its seal does not match)")
    for rel, digest in recorded.items():
        p = run_dir / rel
        if not p.is_file():
            problems.append(f"{rel}: missing")
        elif sha256_file(p) != digest:
            problems.append(f"{rel}: modified after the run ended")
    if m.get("status") != "running":
        for p in run_dir.rglob("*"):
            rel = str(p.relative_to(run_dir))
            if p.is_file() and p.name != MANIFEST and rel not in recorded:
                problems.append(f"{rel}: added after the run ended")
    return problems


def select_runs(
    experiment: str, run_ids: list[str] | None = None, source: str = "raw"
) -> list[Path]:
    """Run directories to present: the ones named, else the latest complete one."""
    root = paths.raw_root(source)
    if run_ids:
        dirs = [root / experiment / rid for rid in run_ids]
        missing = [str(d) for d in dirs if not (d / MANIFEST).is_file()]
        if missing:
            raise ExperimentError(f"no such {experiment} run: {', '.join(missing)}")
        return dirs
    complete = [m for m in list_runs(root, experiment) if m.get("status") == "complete"]
    if not complete:
        raise ExperimentError(
            f"no complete {experiment} run under {root / experiment}: "
            f"measure one with `wsl-lab run {experiment}`"
        )
    return [Path(complete[-1]["_path"])]


def complete_runs(
    experiment: str, root: Path | None = None, say: Callable[[str], None] = print
) -> list[Path]:
    """Complete runs whose files still match the checksums recorded when they ended."""
    dirs = []
    for m in list_runs(root or paths.RAW, experiment):
        if m.get("status") == "abandoned":
            why = (m.get("abandoned") or {}).get("why", "its process is gone")
            say(f"{experiment}: run {m['run_id']} left out: abandoned ({why})")
        if m.get("status") != "complete":
            continue
        problems = verify_run(Path(m["_path"]))
        if problems:
            say(f"{experiment}: run {m['run_id']} left out, changed since it ended: {problems[0]}")
            continue
        dirs.append(Path(m["_path"]))
    return dirs
