"""`wsl-lab run qdrant`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ..cliopts import (
    run_command,
)
from .logs import read_startup
from .params import OPTIONS, QdrantParams


def _data_loss(run: Any) -> bool:
    """Every cold start that lost data, on stderr; whether there was one (the run fails)."""
    lost = [
        f"{k}: {c['data_loss']}"
        for k, t in run.manifest["targets"].items()
        for c in t.get("cold_starts", [])
        if c.get("data_loss")
    ]
    for line in lost:
        typer.echo(line, err=True)
    return bool(lost)


run_qdrant_cmd = run_command(
    "qdrant",
    QdrantParams,
    OPTIONS,
    "Ingest ~40,000 Kernel-Memory-shaped records, restart cold, check nothing was lost.",
    after=_data_loss,
)


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
