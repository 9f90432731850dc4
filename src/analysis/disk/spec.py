"""The disk experiment, declared once for the registry (the rest by its folder's shape)."""

from __future__ import annotations

from ..experiments import declare
from .cli import parse_bonnie, parse_fio, run_disk_cmd
from .params import DiskParams

EXPERIMENT = declare(
    "disk",
    "10-disk.ipynb",
    DiskParams,
    run_disk_cmd,
    fidelity=True,
    tools={"parse-bonnie": parse_bonnie, "parse-fio": parse_fio},
)
