"""The qdrant experiment, declared once for the registry."""

from __future__ import annotations

from typing import Any

from ..experiments import Experiment
from .cli import run_qdrant_cmd


def _measure(profile: str, overrides: dict[str, Any]) -> Any:
    from .. import config
    from ..targets import targets_of
    from .experiment import run_qdrant

    params, targets = targets_of(config.experiment_params(profile, "qdrant", **overrides), None)
    return run_qdrant(params, targets)


def _report(run_dirs: list) -> Any:
    from .report import make

    return make(run_dirs)


def _section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict]:
    from ..report.post import qdrant_section

    lines, worst = qdrant_section(t, inputs, base)
    return lines, {"db_x": worst}


EXPERIMENT = Experiment(
    name="qdrant",
    notebook="20-qdrant.ipynb",
    measure=_measure,
    report=_report,
    section=_section,
    cli=run_qdrant_cmd,
    notebook_overrides={"progress": False},
)
