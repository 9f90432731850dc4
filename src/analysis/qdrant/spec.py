"""The qdrant experiment, declared once for the registry."""

from __future__ import annotations

from ..experiments import Experiment, Fidelity, lazy, value
from .cli import run_qdrant_cmd
from .params import QdrantParams
from .section import TEXT, describe

EXPERIMENT = Experiment(
    name="qdrant",
    notebook="20-qdrant.ipynb",
    params=QdrantParams,
    runner=lazy("analysis.qdrant.experiment", "run_qdrant"),
    need=lazy("analysis.qdrant.experiment", "needed_bytes"),
    table=lazy("analysis.qdrant.process", "qdrant_table"),
    charts=value("analysis.qdrant.figures", "CHARTS"),
    section=lazy("analysis.qdrant.section", "section"),
    fidelity=Fidelity(
        post=lazy("analysis.qdrant.summary", "fidelity_post"),
        measured=lazy("analysis.qdrant.summary", "fidelity_measured"),
    ),
    text=TEXT,
    describe=describe,
    cli=run_qdrant_cmd,
    notebook_overrides={"progress": False},
)
