"""`wsl-lab run devloop`."""

from __future__ import annotations

from ..cliopts import run_command
from .params import OPTIONS, DevloopParams

run_devloop_cmd = run_command(
    "devloop",
    DevloopParams,
    OPTIONS,
    "A Jekyll site per placement: full build, --watch with edits from both sides, git.",
)
