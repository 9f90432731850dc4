"""The qdrant experiment, declared once for the registry."""

from __future__ import annotations

from ..experiments import Experiment, Fidelity, lazy, value
from .cli import qdrant_startup, run_qdrant_cmd
from .params import QdrantParams

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
    text=value("analysis.qdrant.section", "TEXT"),
    describe=lazy("analysis.qdrant.section", "describe"),
    tools={"qdrant-startup": qdrant_startup},
    cli=run_qdrant_cmd,
    notebook_overrides={"progress": False},
)
