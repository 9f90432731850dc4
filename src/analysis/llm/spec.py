"""The llm experiment, declared once for the registry."""

from __future__ import annotations

from ..experiments import Experiment, lazy, value
from .cli import ollama_stats_cmd, run_llm_cmd
from .params import LlmParams

EXPERIMENT = Experiment(
    name="llm",
    notebook="30-llm.ipynb",
    params=LlmParams,
    runner=lazy("analysis.llm.experiment", "run_llm"),
    need=lazy("analysis.llm.experiment", "needed_bytes"),
    table=lazy("analysis.llm.process", "llm_table"),
    charts=value("analysis.llm.figures", "CHARTS"),
    section=lazy("analysis.llm.section", "section"),
    text=value("analysis.llm.section", "TEXT"),
    describe=lazy("analysis.llm.section", "describe"),
    tools={"ollama-stats": ollama_stats_cmd},
    cli=run_llm_cmd,
)
