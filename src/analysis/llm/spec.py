"""The llm experiment, declared once for the registry."""

from __future__ import annotations

from ..experiments import Experiment, lazy, value
from .cli import run_llm_cmd
from .params import LlmParams
from .section import TEXT, describe

EXPERIMENT = Experiment(
    name="llm",
    notebook="30-llm.ipynb",
    params=LlmParams,
    runner=lazy("analysis.llm.experiment", "run_llm"),
    need=lazy("analysis.llm.experiment", "needed_bytes"),
    table=lazy("analysis.llm.process", "llm_table"),
    charts=value("analysis.llm.figures", "CHARTS"),
    section=lazy("analysis.llm.section", "section"),
    text=TEXT,
    describe=describe,
    cli=run_llm_cmd,
)
