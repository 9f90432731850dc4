"""Running the Qdrant experiment: ingest, cold starts and integrity for each placement."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..cache import footprint
from ..commands import tool_version
from ..dockerhost import docker_client
from ..faults import checkpoint
from ..params import as_dict
from ..progress import Step, step
from ..runner.place import checked, measure_each, placed
from ..runs import Run, create_run, recording, rep_names
from ..targets.target import Target
from .backends import ClientBackend, EdgeBackend
from .coldstart import cold_start
from .dataset import Dataset
from .docker import ALTERNATIVE, qdrant_container
from .embed import embedder_from
from .ingest import dataset_batches, ingest
from .integrity import check, describe_loss
from .params import QdrantParams

Say = Callable[[str], None]


def dataset_from(p: QdrantParams) -> Dataset:
    return Dataset(
        records=p.records,
        dim=p.dim,
        collections=p.collections,
        seed=p.seed,
        text_chars=p.text_chars,
    )


def versions(p: QdrantParams) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pkg in ("qdrant-edge-py", "qdrant-client", "docker"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    if p.backend == "docker":
        out["image"] = p.image
        out["docker"] = tool_version(["docker", "--version"])
    return out


def _summary(ing: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ing.items() if k != "batch_latencies_s"}


def _edge_placement(
    run: Run,
    label: str,
    storage: Path,
    ds: Dataset,
    p: QdrantParams,
    say: Say,
    embedder: Any = None,
    backing: Path | None = None,
) -> dict[str, Any]:
    backend = EdgeBackend(storage, hnsw=p.hnsw)
    backend.open(list(ds.collections), ds.dim, create=True)
    try:
        checkpoint("tool")
        with step(label, "ingest", "r1"):
            ing = _ingest(run, label, backend, ds, p, embedder)
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
    for rep in rep_names(p.reps, p.warmup):
        with step(label, "cold start", rep):
            cs = cold_start(
                storage,
                ds,
                p.sample,
                run.file(label, f"coldstart-{rep}.json"),
                embedder=embedder,
                backing=backing,
            )
        facts["cold_starts"].append(_cold_facts(rep, cs["ready_s"], cs))
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
    p: QdrantParams,
    say: Say,
    embedder: Any = None,
    backing: Path | None = None,
) -> dict[str, Any]:
    named = p.volume == "named"
    name = f"wsl-lab-qdrant-{run.run_id}-{label}".lower()
    with qdrant_container(name, storage, named, p.image, run.run_id) as (box, backend):
        backend.open(list(ds.collections), ds.dim, create=True)
        with step(label, "ingest", "r1"):
            ing = _ingest(run, label, backend, ds, p, embedder)
        facts: dict[str, Any] = {
            "ingest": _summary(ing),
            "cold_starts": [],
            "footprint": None if named else footprint(storage),
        }
        for rep in rep_names(p.reps, p.warmup):
            with step(label, "cold start", rep):
                cs = box.restart_cold([storage, *([backing] if backing else [])])
            run.file(label, f"qdrant-{rep}.log").write_text(cs.pop("log"))
            cs["integrity"] = check(backend, ds, p.sample, embedder)
            _save(run, label, f"coldstart-{rep}.json", cs)
            facts["cold_starts"].append(_cold_facts(rep, cs["ready_poll_s"], cs))
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


def _cold_facts(rep: str, ready_s: float, cs: dict) -> dict[str, Any]:
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
        # how the engine read its storage (page faults, read() calls) and, on our share,
        # the requests the layer got meanwhile (None: not measured there)
        "how_read": cs.get("how_read"),
        "share_requests": cs.get("share_requests"),
    }


def _ingest(
    run: Run, label: str, backend: Any, ds: Dataset, p: QdrantParams, embedder: Any
) -> dict[str, Any]:
    """The dataset into backend, batch by batch; the full record (every latency) saved raw."""
    ing = ingest(
        backend,
        dataset_batches(ds, p.batch_size, embedder),
        ds.records,
        progress=p.progress,
        label=label,
    )
    _save(run, label, "ingest.json", ing)
    return ing


def _save(run: Run, label: str, name: str, data: Any) -> None:
    run.file(label, name).write_text(json.dumps(data, indent=1, default=str))


def measure_target(
    run: Run, target: Target, ds: Dataset, p: QdrantParams, say: Say, embedder: Any = None
) -> None:
    label = target.label
    with placed(run, target, p.share_model) as place:
        checkpoint("setup")
        started = time.perf_counter()
        measure = _docker_placement if p.backend == "docker" else _edge_placement
        # behind a simulated share: the same files in the backing directory
        backing = place.behind / "storage" if target.fuse else None
        facts = measure(run, label, place.scratch / "storage", ds, p, say, embedder, backing)
    lost = [c for c in facts["cold_starts"] if not c["integrity_ok"]]
    run.set_target(
        label,
        status="complete",
        seconds=round(time.perf_counter() - started, 3),
        integrity_ok=not lost,
    )


def measure_url(run: Run, ds: Dataset, p: QdrantParams, say: Say, embedder: Any = None) -> None:
    """A server of the user's: ingest into prefixed collections, integrity, then drop them."""
    backend = ClientBackend(p.url)
    server_version = backend.check()
    backend.prefix = f"wsl-lab-{run.run_id}-"
    label = "url"
    run.set_target(label, status="running", url=p.url, server_version=server_version)
    backend.open(list(ds.collections), ds.dim, create=True)
    try:
        ing = _ingest(run, label, backend, ds, p, embedder)
        integrity = check(backend, ds, p.sample, embedder)
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


def storage_bytes(ds: Any) -> int:
    """Free space a placement needs: vectors, payload, WAL and slack, for this dataset."""
    return ds.records * (ds.dim * 4 + ds.text_chars + 600) * 3


def needed_bytes(p: QdrantParams) -> int:
    return 0 if p.backend == "url" else storage_bytes(dataset_from(p))


def steps(ds: Dataset, p: QdrantParams) -> list[Step]:
    """The ingest, then each cold start, weighted by the MiB of storage they move."""
    mib = storage_bytes(ds) / 3 / 2**20
    return [Step("ingest", "r1", mib)] + [
        Step("cold start", rep, mib) for rep in rep_names(p.reps, p.warmup)
    ]


def run_qdrant(p: QdrantParams, root: Path | None = None, say: Say = print) -> Run:
    """Ingest, cold-start and check on every placement (or into the user's server)."""
    embedder = embedder_from(p.embed_model, p.embed_host)
    if embedder:  # the model decides the dimension; one clear line if the server is not there
        p = replace(p, dim=embedder.dim())
    ds = dataset_from(p)
    if p.backend == "docker":  # before anything is written: one line, no run directory
        docker_client(ALTERNATIVE)
    elif p.backend == "url":
        ClientBackend(p.url).check()
    resolved = checked(p.targets, p.share_model, p.profile)
    recorded = {
        **as_dict(p),
        "targets": [str(t) for t in resolved.targets],
        "dataset": asdict(ds),
        "collection_sizes": ds.sizes(),
    }
    run = create_run("qdrant", recorded, root, tools=versions(p))
    with recording(run):
        say(f"run {run.run_id} → {run.path}")
        if p.backend == "url":
            measure_url(run, ds, p, say, embedder)
            return run
        measure_each(
            run,
            resolved,
            storage_bytes(ds),
            lambda t: measure_target(run, t, ds, p, say, embedder),
            say,
            steps(ds, p),
        )
    return run
