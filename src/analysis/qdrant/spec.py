"""The qdrant experiment, declared once for the registry (the rest by its folder's shape)."""

from __future__ import annotations

from ..experiments import declare
from .cli import qdrant_startup, run_qdrant_cmd
from .params import QdrantParams

EXPERIMENT = declare(
    "qdrant",
    "20-qdrant.ipynb",
    QdrantParams,
    run_qdrant_cmd,
    fidelity=True,
    tools={"qdrant-startup": qdrant_startup},
    notebook_overrides={"progress": False},
)
