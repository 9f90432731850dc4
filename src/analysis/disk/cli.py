"""`wsl-lab run disk`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import (
    Format,
    print_rows,
    run_command,
)
from . import bonnie, fio
from .params import OPTIONS, DiskParams

run_disk_cmd = run_command(
    "disk",
    DiskParams,
    OPTIONS,
    "Bonnie++ and fio on each target: native disk vs a (simulated) cross-OS share.",
)


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
