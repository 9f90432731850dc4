"""Helpers for the fault-injection suite: runs paused at a checkpoint, then interrupted."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest

from analysis import paths
from analysis.placement import mounts

# The smoke profile made smaller still, for runs whose point is what an interrupt or a kill
# leaves behind, not what they measure: every tool still runs on every target, briefly.
# A profile of its own would be `config/tiny.toml` listed in config.PROFILES; until then the
# runs get it as the smoke profile of a project root of their own (WSL_LAB_ROOT, the hook
# the `wsl-lab experiments` tests use too).
TINY = {
    "disk": {"reps": 1, "warmup": 0},
    "disk.bonnie": {"size_mib": 4, "ram_mib": 2, "files": 1},
    "disk.fio": {"size_mib": 1, "byte_kib": 4, "nrfiles": 20},
    "qdrant": {
        "records": 200,
        "dim": 16,
        "sample": 10,
        "collections": ["b2e-knowledge", "erp-shop-qa"],
    },  # fmt: skip
    "llm": {
        "prompts": 1,
        "max_tokens": 2,
        "reps": 1,
        "warmup": 0,
        "bandwidth_mib": 16,
        "n_ctx": 256,
    },  # fmt: skip
    "devloop": {"posts": 3, "words": 50, "watch": ["events"], "change_timeout_s": 2.0},
}


def _toml(tables: dict[str, dict]) -> str:
    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False)  # numbers, and strings as TOML reads them

    out = ["# smoke, made tiny by tests/faults/conftest.py: for fault tests only"]
    for name, table in tables.items():
        out.append(f"\n[{name}]")
        out += [f"{k} = {value(v)}" for k, v in table.items() if not isinstance(v, dict)]
        for sub, inner in table.items():
            if isinstance(inner, dict):
                out.append(f"\n[{name}.{sub}]")
                out += [f"{k} = {value(v)}" for k, v in inner.items()]
    return "\n".join(out) + "\n"


@pytest.fixture
def tiny(tmp_path_factory, monkeypatch) -> Path:
    """Runs started from here on (`--profile smoke`) get TINY: a project root whose
    config/smoke.toml is smoke with TINY's values, named by WSL_LAB_ROOT."""
    root = tmp_path_factory.mktemp("tiny-project")
    shutil.copytree(paths.CONFIG, root / "config")
    (root / "pyproject.toml").write_text("")
    with (paths.CONFIG / "smoke.toml").open("rb") as fh:
        profile = tomllib.load(fh)
    for dotted, values in TINY.items():
        table = profile
        for part in dotted.split("."):
            table = table[part]
        assert set(values) <= set(table), f"TINY names keys smoke.toml lacks: {dotted}"
        table.update(values)
    (root / "config" / "smoke.toml").write_text(_toml(profile))
    monkeypatch.setenv("WSL_LAB_ROOT", str(root))
    return root


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
