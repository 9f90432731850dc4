"""The qdrant experiment, declared once for the registry."""

from __future__ import annotations

from typing import Any

from ..experiments import Experiment, lazy
from .cli import run_qdrant_cmd
from .params import QdrantParams


def _section(t: dict, inputs: Any, base: str, lang: str) -> tuple[list[str], dict]:
    from ..report.post import qdrant_section

    lines, worst = qdrant_section(t, inputs, base)
    return lines, {"db_x": worst}


EXPERIMENT = Experiment(
    name="qdrant",
    notebook="20-qdrant.ipynb",
    params=QdrantParams,
    runner=lazy("analysis.qdrant.experiment", "run_qdrant"),
    report=lazy("analysis.qdrant.report", "make"),
    section=_section,
    cli=run_qdrant_cmd,
    notebook_overrides={"progress": False},
)
