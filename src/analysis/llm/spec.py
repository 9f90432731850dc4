"""The llm experiment, declared once for the registry."""

from __future__ import annotations

from typing import Any

from ..experiments import Experiment
from .cli import run_llm_cmd


def _measure(profile: str, overrides: dict[str, Any]) -> Any:
    from .. import config
    from ..targets import targets_of
    from .experiment import run_llm

    params, targets = targets_of(config.experiment_params(profile, "llm", **overrides), None)
    return run_llm(params, targets)


def _report(run_dirs: list) -> Any:
    from .report import make

    return make(run_dirs)


def _section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict]:
    from ..report.post import llm_section

    lines, load_x, frac = llm_section(t, inputs, base)
    return lines, {"load_x": load_x, "frac": frac}


EXPERIMENT = Experiment(
    name="llm",
    notebook="30-llm.ipynb",
    measure=_measure,
    report=_report,
    section=_section,
    cli=run_llm_cmd,
    notebook_overrides={},
)
