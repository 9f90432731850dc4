"""The page-cache cap Bonnie++ runs under: room for the tool itself, and an OOM kill told apart
from any other failure."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import memlimit

HOG = [sys.executable, "-c", "b = bytearray(256 * 2**20); b[::4096] = b'x' * (len(b) // 4096)"]


def _run(cache_bytes: int, cmd: list[str]) -> tuple[int, int, dict]:
    with memlimit.page_cache_cap("test", cache_bytes) as (prefix, facts):
        if facts["method"] == "none":
            pytest.skip(f"no memory cgroup here: {facts['reason']}")
        code = subprocess.run([*prefix, *cmd], capture_output=True).returncode
        return code, memlimit.oom_kills(facts), facts


def test_a_tool_that_outgrows_its_cap_is_counted_as_killed_for_memory():
    code, kills, facts = _run(0, HOG)
    assert code == -9 and kills == 1
    assert facts["limit_bytes"] == memlimit.HEADROOM_BYTES


def test_a_small_tool_fits_the_headroom_and_nothing_is_counted():
    code, kills, _ = _run(0, ["sh", "-c", "ls / > /dev/null"])
    assert (code, kills) == (0, 0)
