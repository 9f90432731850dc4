"""The disk experiment, declared once for the registry."""

from __future__ import annotations

from typing import Any

from ..experiments import Experiment
from .cli import run_disk_cmd


def _measure(profile: str, overrides: dict[str, Any]) -> Any:
    from .. import config
    from ..targets import targets_of
    from .experiment import run_disk

    params, targets = targets_of(config.experiment_params(profile, "disk", **overrides), None)
    return run_disk(params, targets)


def _report(run_dirs: list) -> Any:
    from .report import make

    return make(run_dirs)


def _section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict]:
    from ..report.post import disk_section

    lines, worst = disk_section(t, inputs, base, lang)
    return lines, {"disk_x": worst}


EXPERIMENT = Experiment(
    name="disk",
    notebook="10-disk.ipynb",
    measure=_measure,
    report=_report,
    section=_section,
    cli=run_disk_cmd,
    notebook_overrides={},
)
