"""Named checkpoints where the fault-injection tests pause a run to interrupt it there.

Set WSL_LAB_PAUSE_AT=<name> (and WSL_LAB_PAUSE_S, default 30) to make a run stop at that
checkpoint for a while, saying so on stderr; unset, a checkpoint does nothing.
Checkpoints: setup (placement ready, nothing measured), tool (a tool or engine is running),
cleanup (measurements done, scratch and mounts not yet removed).
"""

from __future__ import annotations

import os
import sys
import time


def checkpoint(name: str) -> None:
    if os.environ.get("WSL_LAB_PAUSE_AT") == name:
        print(f"wsl-lab: paused at {name}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("WSL_LAB_PAUSE_S", "30")))
