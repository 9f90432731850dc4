"""The dev-loop experiment, declared once for the registry."""

from __future__ import annotations

from ..experiments import Experiment, lazy, value
from .cli import run_devloop_cmd
from .params import DevloopParams

EXPERIMENT = Experiment(
    name="devloop",
    notebook="40-devloop.ipynb",
    params=DevloopParams,
    runner=lazy("analysis.devloop.experiment", "run_devloop"),
    need=lazy("analysis.devloop.experiment", "needed_bytes"),
    table=lazy("analysis.devloop.process", "devloop_table"),
    charts=value("analysis.devloop.figures", "CHARTS"),
    section=lazy("analysis.devloop.section", "section"),
    cli=run_devloop_cmd,
    text=value("analysis.devloop.section", "TEXT"),
    describe=lazy("analysis.devloop.section", "describe"),
)
