"""The llm experiment, declared once for the registry."""

from __future__ import annotations

from typing import Any

from ..experiments import Experiment, lazy
from .cli import run_llm_cmd
from .params import LlmParams


def _section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict]:
    from ..report.post import llm_section

    lines, load_x, frac = llm_section(t, inputs, base)
    return lines, {"load_x": load_x, "frac": frac}


EXPERIMENT = Experiment(
    name="llm",
    notebook="30-llm.ipynb",
    params=LlmParams,
    runner=lazy("analysis.llm.experiment", "run_llm"),
    report=lazy("analysis.llm.report", "make"),
    section=_section,
    cli=run_llm_cmd,
)
