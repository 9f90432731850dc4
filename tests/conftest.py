"""Shared fixtures: a private cache home (targets, mount points) and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

ROOT = paths.ROOT
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "cache"
    home.mkdir()
    monkeypatch.setenv("WSL_LAB_CACHE", str(home))
    return home


def run_cli(
    *args: str, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """`wsl-lab ARGS` in a fresh interpreter, as a user runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "analysis.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )


def is_root() -> bool:
    return os.geteuid() == 0


needs_root = pytest.mark.skipif(not is_root(), reason="needs root (mounts a small tmpfs)")


@pytest.fixture
def sample_raw(tmp_path) -> Path:
    """A private copy of the committed sample runs, as a data/raw to report from."""
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(paths.SAMPLE / "raw", raw)
    return raw
