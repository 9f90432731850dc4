"""`wsl-lab run disk`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import (
    DEFAULT,
    Format,
    ProfileOpt,
    RootOpt,
    ShareModelOpt,
    TargetOpt,
    print_rows,
    report_run,
)
from ..experiments import get
from ..params import load
from . import bonnie, fio
from .params import DiskParams


def run_disk_cmd(
    profile: ProfileOpt = DEFAULT,
    target: TargetOpt = None,
    reps: Annotated[
        int | None, typer.Option(help="Repetitions per target. Default: profile's.")
    ] = None,
    tools: Annotated[
        str | None, typer.Option(help="Comma list of bonnie,fio. Default: both.")
    ] = None,
    share_model: ShareModelOpt = None,
    root: RootOpt = None,
) -> None:
    """Bonnie++ and fio on each target: native disk vs a (simulated) cross-OS share."""

    params = load(
        DiskParams,
        profile.value,
        "disk",
        targets=target,
        reps=reps,
        share_model=share_model,
        tools=[t.strip() for t in tools.split(",")] if tools else None,
    )
    run = get("disk").runner(params, root=root, say=typer.echo)
    report_run(run.manifest, run.path)


def parse_bonnie(
    file: Annotated[Path, typer.Argument(help="Bonnie++ output or CSV file (formats 1.96-1.98).")],
    format: Annotated[Format, typer.Option(help="Output format.")] = Format.table,
) -> None:
    """Bonnie++ CSV lines as one row per line × metric (+++++ is too_fast, never 0)."""

    rows = bonnie.parse_file(file)
    print_rows(
        rows,
        format,
        [
            "line",
            "name",
            "format_version",
            "file_size",
            "metric",
            "value",
            "unit",
            "too_fast",
            "cpu_pct",
            "latency_us",
        ],
    )


def parse_fio(
    file: Annotated[Path, typer.Argument(help="fio --output-format=json output.")],
    format: Annotated[Format, typer.Option(help="Output format.")] = Format.table,
) -> None:
    """fio JSON as one row per job × direction: bandwidth, IOPS, completion latency p50/p99."""

    print_rows(
        fio.parse_file(file),
        format,
        [
            "job",
            "direction",
            "bw_kib_s",
            "iops",
            "clat_p50_us",
            "clat_p99_us",
            "runtime_ms",
            "error",
        ],
    )
