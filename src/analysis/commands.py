"""Running external tools: own process group, output kept verbatim, killed on any exit."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

from .errors import PreconditionError, ToolError
from .faults import checkpoint

INSTALL_HINT = {
    "bonnie++": "apt-get install bonnie++",
    "fio": "apt-get install fio",
    "bindfs": "apt-get install bindfs fuse3",
    "fusermount3": "apt-get install fuse3",
}


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        hint = INSTALL_HINT.get(name, f"install {name}")
        raise PreconditionError(
            f"{name} not found on PATH: install it ({hint}) or run `make setup`"
        )
    return path


def tool_version(cmd: list[str], marker: str = "") -> str | None:
    """First line of a tool's version output that contains marker (None when it won't run)."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in (out.stdout + "\n" + out.stderr).splitlines():
        if marker in line and line.strip():
            return line.split(marker, 1)[1].strip() if marker else line.strip()
    return None


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run_tool(
    cmd: list[str],
    stdout: Path,
    stderr: Path,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> int:
    """Run cmd, its output straight into files; non-zero exit or timeout raise ToolError."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            start_new_session=True,
        )
        try:
            checkpoint("tool")
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ToolError(f"{Path(cmd[0]).name} did not finish within {timeout:.0f} s") from None
        finally:
            if proc.poll() is None:  # Ctrl-C or another error while waiting
                _kill_group(proc)
    if code != 0:
        tail = stderr.read_text(errors="replace").strip().splitlines()[-3:]
        why = " / ".join(tail) or f"exit status {code}"
        raise ToolError(f"{Path(cmd[0]).name} failed (exit {code}): {why}")
    return code
