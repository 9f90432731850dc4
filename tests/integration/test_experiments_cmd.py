"""`wsl-lab experiments`: papermill runs the notebook, and what its measuring step prints
(progress: target, tool, repetition k of n, time left) reaches the terminal as it happens."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import paths

from ..conftest import make_smoke_tiny, run_cli

pytestmark = [pytest.mark.integration]
PROGRESS = re.compile(
    r"^  qdrant: (?P<target>\w+) · (?P<tool>[a-z ]+) · repetition (?P<k>\d) of (?P<n>\d)"
    r"(?: \(.*?\))? · .+ elapsed · (?:about .+ left|at least .+ left|time left: .+)$"
)


@pytest.fixture
def project(tmp_path, cache_home) -> Path:
    """A project root of its own (WSL_LAB_ROOT): its config, notebooks and the post's data."""
    root = tmp_path / "project"
    for part in ("config", "notebooks"):
        shutil.copytree(paths.ROOT / part, root / part)
    shutil.copytree(paths.REFERENCE, root / "data" / "raw" / "reference")
    (root / "pyproject.toml").write_text("")
    make_smoke_tiny(root / "config")  # for the interrupt tests: `--profile smoke`, tiny
    return root


def test_experiments_streams_progress_while_the_notebook_measures(project):
    env = {**os.environ, "WSL_LAB_ROOT": str(project)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", "experiments", "--profile", "smoke", "--only",
         "qdrant", "--reps", "2", "--warmup", "0", "--set", "qdrant.records=300", "--set",
         "qdrant.dim=64"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env=env, cwd=project,
    )  # fmt: skip
    seen: list[tuple[float, str]] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        seen.append((time.monotonic(), line.rstrip("\n")))
    assert proc.wait(timeout=600) == 0, proc.stderr.read() if proc.stderr else ""
    lines = [ln for _, ln in seen]
    progress = [(t, PROGRESS.match(ln)) for t, ln in seen if PROGRESS.match(ln)]
    steps = [(m["target"], m["tool"], m["k"], m["n"]) for _, m in progress]
    assert steps == [
        ("native", "ingest", "1", "1"), ("native", "cold start", "1", "2"),
        ("native", "cold start", "2", "2"), ("share", "ingest", "1", "1"),
        ("share", "cold start", "1", "2"), ("share", "cold start", "2", "2"),
    ], lines  # fmt: skip
    done_at = next(t for t, ln in seen if ln.startswith("qdrant: ok"))
    # streamed: the first line came while the notebook still had seconds of work ahead
    assert done_at - progress[0][0] > 2.0, lines
    assert "left" in lines[lines.index(progress[-1][1].string)]
    (run,) = (project / "data" / "raw" / "qdrant").iterdir()
    params = json.loads((run / "manifest.json").read_text())["parameters"]
    assert (params["reps"], params["warmup"], params["records"]) == (2, 0, 300)


@pytest.mark.parametrize(
    "args,says",
    [
        (["--set", "qdrant.nope=1"], "unknown key 'nope'"),
        (["--set", "records=1"], "is not EXPERIMENT.KEY=VALUE"),
        (["--set", "nosuch.reps=1"], "no such experiment"),
        (["--reps", "0"], "reps must be at least 1"),
        (["--set", "disk.bonnie.size_mib=-1"], "size_mib must not be negative"),
    ],
)
def test_bad_overrides_are_one_line_before_anything_runs(project, args, says):
    done = run_cli("experiments", *args, env={"WSL_LAB_ROOT": str(project)}, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr and done.stderr.count("\n") == 1
    assert not (project / "reports").exists()


@pytest.mark.parametrize("sig,status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupt_reaches_the_measuring_notebook_and_nothing_is_left(
    project, cache_home, sig, status
):
    from analysis.targets import target as targets

    from ..faults.conftest import assert_clean, default_signals

    env = {**os.environ, "WSL_LAB_ROOT": str(project), "WSL_LAB_PAUSE_AT": "tool",
           "WSL_LAB_PAUSE_S": "2"}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", "experiments", "--profile", "smoke", "--only",
         "disk", "--only", "qdrant"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env=env, cwd=project, start_new_session=True, preexec_fn=default_signals,
    )  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if "disk: share · " in line:  # the share is mounted and a tool runs on it
            break
    time.sleep(1.0)
    os.kill(proc.pid, sig)  # to wsl-lab experiments alone, as `kill` or a service manager does
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == status, out + err
    assert "remaining notebooks did not start" in err
    (run,) = (project / "data" / "raw" / "disk").iterdir()
    m = json.loads((run / "manifest.json").read_text())
    assert m["status"] == "interrupted"
    assert m["targets"]["native"]["status"] == "complete", json.dumps(m["targets"]["native"])
    assert not (project / "data" / "raw" / "qdrant").exists()  # the next notebook never ran
    assert_clean(cache_home, targets.default_native_dir())
    assert _ours(project, cache_home) == []  # no tool, kernel or layer of this run lives on


def _ours(*places: Path) -> list[str]:
    """Processes working in, or naming, any of these places (other than this test)."""
    found = []
    for pid in (p for p in Path("/proc").iterdir() if p.name.isdigit()):
        try:
            cmd = (pid / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(pid / "cwd")
        except OSError:
            continue
        if "pytest" not in cmd and any(str(p) in cmd or cwd.startswith(str(p)) for p in places):
            found.append(cmd)
    return found


def test_sigterm_to_make_experiments_reaches_the_notebook_and_no_report_follows(
    project, cache_home
):
    """`kill make` (a cancelled CI job, `timeout make experiments`): make passes SIGTERM to
    its one child, uv to wsl-lab, wsl-lab to the notebook measuring; the report never starts."""
    from analysis.targets import target as targets

    from ..faults.conftest import assert_clean, default_signals

    env = {**os.environ, "WSL_LAB_ROOT": str(project), "WSL_LAB_PAUSE_AT": "tool",
           "WSL_LAB_PAUSE_S": "2"}  # fmt: skip
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "-o", "setup", "-C", str(paths.ROOT), "experiments",
         "PROFILE=smoke", "ARGS=--only disk --only qdrant"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
        env=env, start_new_session=True, preexec_fn=default_signals,
    )  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if "disk: share · " in line:
            break
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGTERM)  # to make alone
    out, _ = proc.communicate(timeout=180)
    assert "remaining notebooks did not start" in out, out
    assert proc.returncode != 0
    (run,) = (project / "data" / "raw" / "disk").iterdir()
    assert json.loads((run / "manifest.json").read_text())["status"] == "interrupted"
    assert not (project / "data" / "raw" / "qdrant").exists()
    assert not (project / "data" / "processed").exists()  # no report after an interrupt
    assert_clean(cache_home, targets.default_native_dir())
    assert _ours(project, cache_home) == []
