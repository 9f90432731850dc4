"""The devloop experiment, declared once for the registry (the rest by its folder's shape)."""

from __future__ import annotations

from ..experiments import declare
from .cli import run_devloop_cmd
from .params import DevloopParams

EXPERIMENT = declare(
    "devloop",
    "40-devloop.ipynb",
    DevloopParams,
    run_devloop_cmd,
)
