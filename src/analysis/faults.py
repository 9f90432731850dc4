"""Named checkpoints where the fault-injection tests pause a run to interrupt it there.

Set WSL_LAB_PAUSE_AT=<name> (and WSL_LAB_PAUSE_S, default 30) to make a run stop at that
checkpoint for a while, saying so on stderr; unset, a checkpoint does nothing.
Checkpoints: scratch (a scratch directory made, not yet marked), setup (placement ready,
nothing measured), tool (a tool or engine is running), cleanup (measurements done, scratch
and mounts not yet removed). WSL_LAB_LAYER_FAULTS=1 lets a test hang our share layer: once a
path named `.wsl-lab-hang` is looked up on the mount, it answers nothing more; with
WSL_LAB_LAYER_SLOW_US=N as well, every request costs it N µs more, as on a slower machine.
"""

from __future__ import annotations

import os
import sys
import time


def checkpoint(name: str) -> None:
    if os.environ.get("WSL_LAB_PAUSE_AT") == name:
        print(f"wsl-lab: paused at {name}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("WSL_LAB_PAUSE_S", "30")))
