"""The dev-loop experiment, declared once for the registry."""

from __future__ import annotations

from typing import Any

from .. import config
from ..experiments import Experiment, lazy
from ..params import from_section
from .cli import run_devloop_cmd
from .params import DevloopParams
from .section import TEXT


def load_params(profile: str, **overrides: Any) -> DevloopParams:
    """The profile's [devloop] section as checked, typed parameters."""
    section = config.load_profile(profile).get("devloop")
    where = f"{config.profile_path(profile)} [devloop]"
    if section is None:
        from ..errors import ParameterError

        raise ParameterError(f"{where}: the section is missing")
    return from_section(DevloopParams, section, where, **overrides)


def _measure(profile: str, overrides: dict[str, Any]) -> Any:
    from .experiment import run_devloop

    return run_devloop(load_params(profile, **overrides), profile=profile)


EXPERIMENT = Experiment(
    name="devloop",
    notebook="40-devloop.ipynb",
    measure=_measure,
    report=lazy("analysis.devloop.report", "make"),
    section=lazy("analysis.devloop.section", "section"),
    cli=run_devloop_cmd,
    text=TEXT,
)
