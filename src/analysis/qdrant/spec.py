"""The qdrant experiment, declared once for the registry."""

from __future__ import annotations

from ..experiments import Experiment, lazy
from .cli import run_qdrant_cmd
from .params import QdrantParams
from .section import TEXT

EXPERIMENT = Experiment(
    name="qdrant",
    notebook="20-qdrant.ipynb",
    params=QdrantParams,
    runner=lazy("analysis.qdrant.experiment", "run_qdrant"),
    report=lazy("analysis.qdrant.report", "make"),
    section=lazy("analysis.qdrant.section", "section"),
    text=TEXT,
    cli=run_qdrant_cmd,
    notebook_overrides={"progress": False},
)
