"""`wsl-lab run qdrant`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import DEFAULT, ProfileOpt, RootOpt, ShareModelOpt, TargetOpt, report_run
from ..experiments import get
from ..params import load
from .logs import read_startup
from .params import QdrantParams


class Backend(StrEnum):
    edge = "edge"
    docker = "docker"
    url = "url"


def run_qdrant_cmd(
    profile: ProfileOpt = DEFAULT,
    backend: Annotated[
        Backend,
        typer.Option(
            help="edge: Qdrant's engine in-process (no server); docker: the qdrant image with its "
            "storage on each target; url: your own server (no restart)."
        ),
    ] = Backend.edge,
    target: TargetOpt = None,
    records: Annotated[
        int | None,
        typer.Option(help="Records in all. Default: profile's (smoke 2000, standard/blog 40000)."),
    ] = None,
    dim: Annotated[int | None, typer.Option(help="Vector dimension. Default: profile's.")] = None,
    reps: Annotated[int | None, typer.Option(help="Cold starts per placement.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Records per upsert.")] = None,
    url: Annotated[str | None, typer.Option(help="Server URL for --backend url.")] = None,
    embed_model: Annotated[
        str | None,
        typer.Option(
            help="Ollama embedding model for real vectors (e.g. nomic-embed-text); "
            "the ingest then waits on embeddings, as the post's did. Default: "
            "seeded vectors."
        ),
    ] = None,
    embed_host: Annotated[
        str | None,
        typer.Option(
            help="Ollama URL for --embed-model. Default: $OLLAMA_HOST or http://127.0.0.1:11434."
        ),
    ] = None,
    volume: Annotated[
        str | None,
        typer.Option(
            help="--backend docker: bind (storage in each target) or named (a Docker volume)."
        ),
    ] = None,
    share_model: ShareModelOpt = None,
    root: RootOpt = None,
) -> None:
    """Ingest ~40,000 Kernel-Memory-shaped records, restart cold, check nothing was lost."""

    params = load(
        QdrantParams,
        profile.value,
        "qdrant",
        targets=target,
        backend=backend.value,
        records=records,
        dim=dim,
        reps=reps,
        batch_size=batch_size,
        url=url,
        volume=volume,
        embed_model=embed_model,
        embed_host=embed_host,
        share_model=share_model,
    )
    run = get("qdrant").runner(params, root=root, say=typer.echo)
    lost = [
        f"{k}: {c['data_loss']}"
        for k, t in run.manifest["targets"].items()
        for c in t.get("cold_starts", [])
        if c.get("data_loss")
    ]
    for line in lost:
        typer.echo(line, err=True)
    report_run(run.manifest, run.path)
    if lost:
        raise typer.Exit(1)


def qdrant_startup(
    logfile: Annotated[
        Path,
        typer.Argument(
            help="Saved `docker logs` of a Qdrant container "
            "(plain, compose-prefixed, ANSI or JSON lines)."
        ),
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Startup time from a Qdrant log: first 'Loading collection' to 'gRPC listening'."""

    s = read_startup(logfile)
    if json_out:
        typer.echo(json.dumps(s, indent=2))
        return
    total = f"{s['total_s']:.3f} s" if s["total_s"] is not None else "unknown (not ready)"
    typer.echo(f"startup: {total}  ready: {'yes' if s['ready'] else 'no'}")
    for c in s["collections"]:
        load = f"{c['load_s']:.3f} s" if c["load_s"] is not None else "-"
        typer.echo(f"  {c['name']:<28} {load}")
