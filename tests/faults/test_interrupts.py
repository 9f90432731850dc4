"""Ctrl-C and SIGTERM at every phase: manifest says interrupted, nothing is left behind."""

import os
import signal
import subprocess
import sys

import pytest

from analysis.share.mount import fuse_available

from ..conftest import run_cli
from .conftest import CliRun, assert_clean, only_run

pytestmark = pytest.mark.skipif(fuse_available() is not None, reason=f"{fuse_available()}")


def _env(cache, phase, seconds="30"):
    return {"WSL_LAB_CACHE": str(cache), "WSL_LAB_PAUSE_AT": phase, "WSL_LAB_PAUSE_S": seconds}


@pytest.mark.parametrize(
    "phase,sig",
    [
        ("setup", signal.SIGINT),  # share mounted, nothing measured yet
        ("tool", signal.SIGINT),  # bonnie++ running on the share
        ("tool", signal.SIGTERM),
    ],
)
def test_disk_interrupted(tmp_path, cache_home, tiny, phase, sig):
    native = cache_home / "targets" / "native"
    native.mkdir(parents=True)
    root = tmp_path / "raw"
    run = CliRun(
        [
            "run",
            "disk",
            "--profile",
            "smoke",
            "--root",
            str(root),
            "--target",
            f"share=fuse:{native}",
            "--target",
            f"native={native}",
        ],
        _env(cache_home, phase),
    )
    run.wait_for(f"paused at {phase}")
    run.ctrl_c(sig)
    assert run.finish() == 130
    assert "interrupted" in "".join(run.err)
    _, m = only_run(root, "disk")
    assert m["status"] == "interrupted" and m["ended_utc"]
    assert m["targets"]["share"]["status"] == "interrupted"
    assert "native" not in m["targets"] or m["targets"]["native"]["status"] == "pending"
    assert_clean(cache_home, native)
    if (phase, sig) != ("tool", signal.SIGTERM):
        return  # nothing is left behind, as checked; a whole new run once is enough
    # and a new run starts fine (after the interrupt that leaves the most to clean up: a tool
    # running on the mounted share, stopped by SIGTERM)
    again = run_cli(
        "run",
        "disk",
        "--profile",
        "smoke",
        "--tools",
        "fio",
        "--root",
        str(root),
        env={"WSL_LAB_CACHE": str(cache_home)},
    )
    assert again.returncode == 0, again.stderr


def test_second_ctrl_c_during_cleanup_still_cleans(tmp_path, cache_home, tiny):
    native = cache_home / "targets" / "native"
    native.mkdir(parents=True)
    root = tmp_path / "raw"
    run = CliRun(
        [
            "run",
            "disk",
            "--profile",
            "smoke",
            "--tools",
            "fio",
            "--root",
            str(root),
            "--target",
            f"share=fuse:{native}",
        ],
        _env(cache_home, "cleanup", "3"),
    )
    run.wait_for("paused at cleanup")
    run.ctrl_c()
    run.ctrl_c()
    assert run.finish() == 130
    _, m = only_run(root, "disk")
    assert m["status"] == "interrupted"
    # what finished is recorded: the fio run itself completed before cleanup
    assert [r["status"] for r in m["targets"]["share"]["results"]] == ["complete"]
    assert_clean(cache_home, native)


def test_qdrant_interrupted_mid_ingest(tmp_path, cache_home, tiny):
    root = tmp_path / "raw"
    run = CliRun(
        ["run", "qdrant", "--profile", "smoke", "--root", str(root)], _env(cache_home, "tool")
    )
    run.wait_for("paused at tool")
    run.ctrl_c()
    assert run.finish() == 130
    _, m = only_run(root, "qdrant")
    assert m["status"] == "interrupted" and m["targets"]["native"]["status"] == "interrupted"
    assert_clean(cache_home, cache_home / "targets" / "native")


def test_llm_terminated_with_model_loaded(tmp_path, cache_home, tiny):
    root = tmp_path / "raw"
    run = CliRun(
        [
            "run",
            "llm",
            "--profile",
            "smoke",
            "--root",
            str(root),
            "--target",
            f"share=fuse:{cache_home / 'targets' / 'native'}",
        ],
        _env(cache_home, "tool"),
    )
    (cache_home / "targets" / "native").mkdir(parents=True)
    run.wait_for("paused at tool")
    run.ctrl_c(signal.SIGTERM)
    assert run.finish() == 130
    _, m = only_run(root, "llm")
    assert m["status"] == "interrupted" and m["targets"]["share"]["status"] == "interrupted"
    assert_clean(cache_home, cache_home / "targets" / "native")


def test_started_with_sigint_ignored_it_stays_ignored_and_sigterm_still_cleans_up(
    tmp_path, cache_home, tiny
):
    """As a `nohup … &` job is started: Ctrl-C does not reach it, SIGTERM stops it cleanly."""
    from analysis import paths
    from analysis.targets import target as targets

    def nohup_like() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    root = tmp_path / "raw"
    env = {**os.environ, "WSL_LAB_PAUSE_AT": "tool", "WSL_LAB_PAUSE_S": "4"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis.cli", "run", "disk", "--profile", "smoke", "--tools",
         "fio", "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=paths.ROOT, env=env,
        preexec_fn=nohup_like, start_new_session=True,
    )  # fmt: skip
    assert proc.stderr is not None
    assert "paused at tool" in proc.stderr.readline()
    os.killpg(proc.pid, signal.SIGINT)  # ignored: the run goes on
    assert "paused at tool" in proc.stderr.readline()  # the share's turn: it went on
    os.kill(proc.pid, signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    _, m = only_run(root, "disk")
    assert m["status"] == "interrupted"
    assert m["targets"]["native"]["status"] == "complete"
    assert_clean(cache_home, targets.default_native_dir())
