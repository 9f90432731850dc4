"""The disk experiment, declared once for the registry."""

from __future__ import annotations

from ..experiments import Experiment, Fidelity, lazy, value
from .cli import parse_bonnie, parse_fio, run_disk_cmd
from .params import DiskParams

EXPERIMENT = Experiment(
    name="disk",
    notebook="10-disk.ipynb",
    params=DiskParams,
    runner=lazy("analysis.disk.experiment", "run_disk"),
    need=lazy("analysis.disk.experiment", "needed_bytes"),
    table=lazy("analysis.disk.process", "disk_table"),
    charts=value("analysis.disk.figures", "CHARTS"),
    section=lazy("analysis.disk.section", "section"),
    fidelity=Fidelity(
        post=lazy("analysis.disk.summary", "fidelity_post"),
        measured=lazy("analysis.disk.summary", "fidelity_measured"),
    ),
    text=value("analysis.disk.section", "TEXT"),
    describe=lazy("analysis.disk.section", "describe"),
    tools={"parse-bonnie": parse_bonnie, "parse-fio": parse_fio},
    cli=run_disk_cmd,
)
