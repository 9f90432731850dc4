"""The disk experiment, declared once for the registry."""

from __future__ import annotations

from typing import Any

from ..experiments import Experiment, lazy
from .cli import run_disk_cmd
from .params import DiskParams


def _section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict]:
    from ..report.post import disk_section

    lines, worst = disk_section(t, inputs, base, lang)
    return lines, {"disk_x": worst}


EXPERIMENT = Experiment(
    name="disk",
    notebook="10-disk.ipynb",
    params=DiskParams,
    runner=lazy("analysis.disk.experiment", "run_disk"),
    report=lazy("analysis.disk.report", "make"),
    section=_section,
    cli=run_disk_cmd,
)
