"""`wsl-lab share`: run a command of the user's inside the simulated share, timed."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ExperimentError, TargetError
from .models import ShareModel
from .mount import fuse_share

NOT_FOUND = 127  # what a shell answers for a command it cannot find


def working_dir(source: Path, mount_point: Path, cwd: Path) -> Path:
    """The same place inside the mount when cwd is inside source, else the mount's root."""
    try:
        return mount_point / cwd.resolve().relative_to(source.resolve())
    except ValueError:
        return mount_point


def run_in_share(
    source: Path, command: list[str], model: ShareModel, say: Callable[[str], None]
) -> int:
    """Mount, run, unmount (also on failure and Ctrl-C); the command's exit status."""
    if not command:
        raise ExperimentError("no command given: wsl-lab share PATH -- COMMAND [ARGS...]")
    source = source.expanduser().absolute()
    if not source.is_dir():
        raise TargetError(f"{source} is not a directory: pass the folder to share")
    if source.resolve() == Path("/"):
        raise TargetError("refusing to share /: pass the project's folder")
    name = f"share-{os.getpid()}-{time.monotonic_ns()}"
    with fuse_share(source, name, model) as mount_point:
        cwd = working_dir(source, mount_point, Path.cwd())
        started = time.perf_counter()
        try:
            status = subprocess.run(command, cwd=cwd).returncode
        except FileNotFoundError:
            say(f"wsl-lab share: command not found: {command[0]}")
            return NOT_FOUND
        finally:
            elapsed = time.perf_counter() - started
        say(
            f"wsl-lab share: `{' '.join(command)}` took {elapsed:.3f} s in {cwd} "
            f"(share model {model.name}; exit {status})"
        )
    return status
