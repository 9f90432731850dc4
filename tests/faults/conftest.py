"""Helpers for the fault-injection suite: runs paused at a checkpoint, then interrupted."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from analysis import paths
from analysis.placement import mounts


def default_signals() -> None:
    """In the child: Ctrl-C and SIGTERM as a terminal gives them, whatever this test process
    inherited (a shell's `&` job starts with SIGINT ignored, and exec keeps that)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


class CliRun:
    """`wsl-lab ARGS` in its own process group, as a terminal would run it."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "analysis.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=paths.ROOT,
            env={**os.environ, **env},
            start_new_session=True,
            preexec_fn=default_signals,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        for line in self.proc.stderr:
            self.err.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if text in self.lines.get(timeout=0.5):
                    return
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
        raise AssertionError(f"never saw {text!r}; stderr: {''.join(self.err)[-2000:]}")

    def ctrl_c(self, sig: int = signal.SIGINT) -> None:
        os.killpg(self.proc.pid, sig)  # the whole foreground group, like a terminal's Ctrl-C

    def finish(self, timeout: float = 120) -> int:
        self.proc.wait(timeout=timeout)
        self.pump.join(timeout=10)  # everything it printed, read
        return self.proc.returncode


def only_run(root: Path, experiment: str) -> tuple[Path, dict]:
    (run_dir,) = (root / experiment).iterdir()
    return run_dir, json.loads((run_dir / "manifest.json").read_text())


def assert_clean(cache: Path, native: Path) -> None:
    """No mount, scratch directory or child process of ours is left behind."""
    assert not [m for m in mounts.read_table() if m.mount_point.startswith(str(cache))]
    mnt = cache / "mnt"
    assert not mnt.exists() or not list(mnt.iterdir())
    assert not native.is_dir() or list(native.glob("wsl-lab-*")) == []  # marked or not
    ours = []
    for pid_dir in Path("/proc").iterdir():
        if pid_dir.name.isdigit():
            try:
                cmd = (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(cache) in cmd and "pytest" not in cmd:
                ours.append(cmd)
    assert ours == [], ours
