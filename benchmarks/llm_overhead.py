"""Benchmark: what the harness adds to the engine's own generation time, and the smoke run.

Targets (issue 4): the harness adds < 5% to what llama.cpp reports (prompt + generation time);
`wsl-lab run llm --profile smoke` finishes in under a minute.
Usage: uv run python benchmarks/llm_overhead.py   (exit 1 when a target is missed)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from analysis.llm.engines import LlamaCppEngine, bundled_gguf
from analysis.llm.params import PROMPTS


def main() -> int:
    engine = LlamaCppEngine(bundled_gguf(), n_ctx=512)
    engine.load()
    engine.generate(PROMPTS[0], 8, 1)  # warm-up
    overheads = []
    for i in range(10):
        g = engine.generate(PROMPTS[i % len(PROMPTS)], 64, 1)
        reported = g.prompt_eval_s + g.eval_s
        overheads.append((g.wall_s - reported) / reported)
    engine.close()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "WSL_LAB_CACHE": f"{tmp}/cache"}
        t = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "analysis.cli",
                "run",
                "llm",
                "--profile",
                "smoke",
                "--root",
                f"{tmp}/raw",
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        smoke_s = time.perf_counter() - t
    report = {
        "overhead_median": statistics.median(overheads),
        "overhead_max": max(overheads),
        "overhead_target": 0.05,
        "smoke_s": smoke_s,
        "smoke_exit": done.returncode,
        "smoke_target_s": 60,
    }
    print(json.dumps(report, indent=2))
    ok = report["overhead_median"] < 0.05 and smoke_s < 60 and done.returncode == 0
    print("PASS" if ok else "FAIL: a target was missed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
