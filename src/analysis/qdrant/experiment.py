"""Running the Qdrant experiment: ingest, cold starts and integrity for each placement."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..cache import footprint
from ..dockerhost import docker_client
from ..errors import ParameterError
from ..faults import checkpoint
from ..placement.share import placed, share_model_of
from ..proc import tool_version
from ..runs import Run, create_run, measure_each, recording, rep_names
from ..targets import (
    Target,
    prepare,
    scratch_dir,
)
from .backends import ClientBackend, EdgeBackend
from .dataset import Dataset
from .embed import embedder_from
from .ingest import dataset_batches, ingest
from .integrity import check, describe_loss

BACKENDS = ("edge", "docker", "url")
Say = Callable[[str], None]


def dataset_from(params: dict[str, Any]) -> Dataset:
    return Dataset(
        records=int(params["records"]),
        dim=int(params["dim"]),
        collections=tuple(params["collections"]),
        seed=int(params["seed"]),
        text_chars=int(params["text_chars"]),
    )


def check_params(params: dict[str, Any]) -> None:
    if params["backend"] not in BACKENDS:
        raise ParameterError(
            f"unknown backend {params['backend']!r}: choose {', '.join(BACKENDS)}"
        )
    for key in ("records", "dim", "batch_size"):
        if int(params[key]) < 1:
            raise ParameterError(f"qdrant {key} must be at least 1, got {params[key]}")
    if not params["collections"]:
        raise ParameterError("qdrant collections must name at least one collection")
    if params["backend"] == "url" and not params.get("url"):
        raise ParameterError("--backend url needs --url http://host:6333")


def versions(params: dict[str, Any]) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, Any] = {}
    for pkg in ("qdrant-edge-py", "qdrant-client", "docker"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    if params["backend"] == "docker":
        out["image"] = params["image"]
        out["docker"] = tool_version(["docker", "--version"])
    return out


def _summary(ing: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ing.items() if k != "batch_latencies_s"}


def _edge_placement(
    run: Run,
    label: str,
    storage: Path,
    ds: Dataset,
    params: dict,
    say: Say,
    embedder: Any = None,
    backing: Path | None = None,
) -> dict[str, Any]:
    from .coldstart import cold_start

    backend = EdgeBackend(storage, hnsw=bool(params.get("hnsw")))
    backend.open(list(ds.collections), ds.dim, create=True)
    try:
        checkpoint("tool")
        ing = _ingest(run, label, backend, ds, params, embedder)
    finally:
        backend.close()
    say(
        f"  {label}: ingest {ds.records} records in {ing['ingest_s']:.2f} s "
        f"({ing['records_per_s']:.0f}/s)"
    )
    facts: dict[str, Any] = {
        "ingest": _summary(ing),
        "footprint": footprint(storage),
        "cold_starts": [],
    }
    for rep in rep_names(int(params["reps"]), int(params.get("warmup", 0))):
        cs = cold_start(
            storage,
            ds,
            int(params["sample"]),
            run.file(label, f"coldstart-{rep}.json"),
            embedder=embedder,
            backing=backing,
        )
        facts["cold_starts"].append(_cold_facts(rep, cs["ready_s"], cs, params))
        say(
            f"  {label}: {'cold' if cs['cold'] else 'WARM'} start {rep}: ready in "
            f"{cs['ready_s']:.3f} s ({cs['cache_drop']}, {_resident(cs)}); "
            f"{describe_loss(cs['integrity'])}"
        )
        run.set_target(label, **facts)
    return facts


def _docker_placement(
    run: Run,
    label: str,
    storage: Path,
    ds: Dataset,
    params: dict,
    say: Say,
    embedder: Any = None,
    backing: Path | None = None,
) -> dict[str, Any]:
    from .docker import qdrant_container

    named = params.get("volume") == "named"
    name = f"wsl-lab-qdrant-{run.run_id}-{label}".lower()
    with qdrant_container(name, storage, named, params["image"], run.run_id) as (box, backend):
        backend.open(list(ds.collections), ds.dim, create=True)
        ing = _ingest(run, label, backend, ds, params, embedder)
        facts: dict[str, Any] = {
            "ingest": _summary(ing),
            "cold_starts": [],
            "footprint": None if named else footprint(storage),
        }
        for rep in rep_names(int(params["reps"]), int(params.get("warmup", 0))):
            cs = box.restart_cold([storage, *([backing] if backing else [])])
            run.file(label, f"qdrant-{rep}.log").write_text(cs.pop("log"))
            cs["integrity"] = check(backend, ds, int(params["sample"]), embedder)
            _save(run, label, f"coldstart-{rep}.json", cs)
            facts["cold_starts"].append(_cold_facts(rep, cs["ready_poll_s"], cs, params))
            say(
                f"  {label}: cold start {rep}: ready in {cs['ready_poll_s']:.3f} s by /readyz, "
                f"{cs['log_summary']['total_s']} s by the log; {describe_loss(cs['integrity'])}"
            )
            run.set_target(label, **facts)
    return facts


def _resident(cs: dict) -> str:
    behind = cs.get("backing_resident_pct")
    here = cs.get("resident_pct")
    text = f"{here}% resident" if here is not None else "residency not measured"
    return text + (f", {behind}% behind the share" if behind is not None else "")


def _cold_facts(rep: str, ready_s: float, cs: dict, params: dict) -> dict[str, Any]:
    """One start's record: a start is cold only when residency said so (else warm)."""
    return {
        "rep": rep,
        "warmup": rep.startswith("w"),
        "ready_s": ready_s,
        "cache_drop": cs.get("cache_drop"),
        "resident_pct": cs.get("resident_pct"),
        "backing_resident_pct": cs.get("backing_resident_pct"),
        "cold": bool(cs.get("cold")),
        "integrity_ok": cs["integrity"]["ok"],
        "data_loss": None if cs["integrity"]["ok"] else describe_loss(cs["integrity"]),
    }


def _ingest(
    run: Run, label: str, backend: Any, ds: Dataset, params: dict, embedder: Any
) -> dict[str, Any]:
    """The dataset into backend, batch by batch; the full record (every latency) saved raw."""
    ing = ingest(
        backend,
        dataset_batches(ds, int(params["batch_size"]), embedder),
        ds.records,
        progress=params.get("progress", True),
        label=label,
    )
    _save(run, label, "ingest.json", ing)
    return ing


def _save(run: Run, label: str, name: str, data: Any) -> None:
    run.file(label, name).write_text(json.dumps(data, indent=1, default=str))


def measure_target(
    run: Run, target: Target, ds: Dataset, params: dict, say: Say, embedder: Any = None
) -> None:
    label = target.label
    with (
        placed(run, target, params) as where,
        scratch_dir(where, run.run_id, label) as scratch,
    ):
        checkpoint("setup")
        started = time.perf_counter()
        measure = _docker_placement if params["backend"] == "docker" else _edge_placement
        # behind a simulated share: the same files in the backing directory
        backing = target.path / scratch.name / "storage" if target.fuse else None
        facts = measure(run, label, scratch / "storage", ds, params, say, embedder, backing)
    lost = [c for c in facts["cold_starts"] if not c["integrity_ok"]]
    run.set_target(
        label,
        status="complete",
        seconds=round(time.perf_counter() - started, 3),
        integrity_ok=not lost,
    )


def measure_url(run: Run, ds: Dataset, params: dict, say: Say, embedder: Any = None) -> None:
    """A server of the user's: ingest into prefixed collections, integrity, then drop them."""
    backend = ClientBackend(params["url"])
    server_version = backend.check()
    backend.prefix = f"wsl-lab-{run.run_id}-"
    label = "url"
    run.set_target(label, status="running", url=params["url"], server_version=server_version)
    backend.open(list(ds.collections), ds.dim, create=True)
    try:
        ing = _ingest(run, label, backend, ds, params, embedder)
        integrity = check(backend, ds, int(params["sample"]), embedder)
        run.set_target(
            label,
            status="complete",
            ingest=_summary(ing),
            integrity=integrity,
            integrity_ok=integrity["ok"],
            cold_starts=[],
        )
        say(f"  url: ingest {ing['records_per_s']:.0f} records/s; {describe_loss(integrity)}")
    finally:
        backend.drop()
        backend.close()


def run_qdrant(
    params: dict[str, Any], targets: list[Target], root: Path | None = None, say: Say = print
) -> Run:
    check_params(params)
    embedder = embedder_from(params)
    if embedder:  # the model decides the dimension; one clear line if the server is not there
        params = {**params, "dim": embedder.dim()}
    ds = dataset_from(params)
    if params["backend"] == "docker":  # before anything is written: one line, no run directory
        from .docker import ALTERNATIVE

        docker_client(ALTERNATIVE)
    elif params["backend"] == "url":
        ClientBackend(params["url"]).check()
    prepare(targets)
    share_model_of(params, targets)  # a bad model: one line, before any run directory
    recorded = {
        **params,
        "targets": [str(t) for t in targets],
        "dataset": asdict(ds),
        "collection_sizes": ds.sizes(),
    }
    run = create_run("qdrant", recorded, root, tools=versions(params))
    need = ds.records * (ds.dim * 4 + ds.text_chars + 600) * 3  # vectors, payload, WAL, slack
    with recording(run):
        say(f"run {run.run_id} → {run.path}")
        if params["backend"] == "url":
            measure_url(run, ds, params, say, embedder)
            return run
        measure_each(
            run, targets, need, lambda t: measure_target(run, t, ds, params, say, embedder), say
        )
    return run
