"""Runs whose process died (kill -9, a reboot) are marked abandoned, and what they left behind
is reclaimed by the next run; a live run's scratch is never touched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from analysis import owner
from analysis.places import mounts
from analysis.runs import complete_runs
from analysis.share import mount as share
from analysis.targets import scratch
from analysis.targets import target as targets

from ..conftest import run_cli, write_manifest
from .conftest import CliRun, assert_clean, only_run


def _kill_when(run: CliRun, text: str, times: int) -> None:
    for _ in range(times):
        run.wait_for(text)
    os.kill(run.proc.pid, signal.SIGKILL)
    run.finish()


def test_kill9_mid_ingest_on_the_share_then_abandoned_reclaimed_and_a_new_run_completes(
    tmp_path, cache_home, tiny
):
    root = tmp_path / "raw"
    native = targets.default_native_dir()
    env = {"WSL_LAB_PAUSE_AT": "tool", "WSL_LAB_PAUSE_S": "3", "WSL_LAB_CACHE": str(cache_home)}
    run = CliRun(["run", "qdrant", "--profile", "smoke", "--root", str(root)], env)
    _kill_when(run, "paused at tool", 2)  # the second pause: the share's ingest
    run_dir, m = only_run(root, "qdrant")
    assert m["status"] == "running" and scratch.leftover_scratch(native)  # what kill -9 leaves
    listed = run_cli("runs", "--root", str(root), "--format", "json")
    (row,) = json.loads(listed.stdout)
    assert row["status"] == "abandoned"
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["abandoned"]["found_by"] == "wsl-lab runs"
    assert m["abandoned"]["why"] == f"its process {run.proc.pid} is gone"
    assert m["targets"]["native"]["status"] == "complete"  # what it measured stays
    assert (run_dir / "native" / "ingest.json").is_file()
    again = run_cli("run", "qdrant", "--profile", "smoke", "--root", str(root))
    assert again.returncode == 0, again.stderr
    line = next(ln for ln in again.stdout.splitlines() if ln.startswith("reclaimed"))
    assert "1 scratch directory" in line and f"wsl-lab-{run_dir.name}-share" in line
    assert_clean(cache_home, native)
    said: list[str] = []
    complete_runs("qdrant", root, said.append)  # what `make report` says about it
    assert f"qdrant: run {run_dir.name} left out: abandoned (its process" in said[0]


def test_a_run_of_another_boot_is_abandoned(tmp_path, sample_raw):
    """The one stand-in: a manifest edited as if written before a reboot."""
    run_dir = next((sample_raw / "disk").iterdir())
    m = json.loads((run_dir / "manifest.json").read_text())
    me = owner.identity()
    m.update(status="running", owner={**me, "boot_id": "0" * 8 + me["boot_id"][8:]})
    write_manifest(run_dir, m)
    listed = json.loads(run_cli("runs", "--root", str(sample_raw), "--format", "json").stdout)
    assert {r["run_id"]: r["status"] for r in listed}[run_dir.name] == "abandoned"
    why = json.loads((run_dir / "manifest.json").read_text())["abandoned"]["why"]
    assert why.startswith("the machine booted since")


def test_a_reused_pid_is_not_the_owner():
    me = owner.identity()
    assert owner.gone(me) is None
    assert owner.gone({**me, "start_ticks": me["start_ticks"] + 1}) == (
        f"its pid {me['pid']} now belongs to another process"
    )
    assert owner.gone({**me, "host": "elsewhere"}) is None  # cannot tell: left alone
    assert owner.gone(None) is None  # a run from before owners were kept


def test_a_live_runs_scratch_and_what_has_no_owner_are_never_reclaimed(tmp_path, cache_home, tiny):
    root = tmp_path / "raw"
    native = targets.default_native_dir()
    native.mkdir(parents=True)
    theirs = native / "wsl-lab-not-ours"
    theirs.mkdir()  # a name like ours, without our marker
    old = native / "wsl-lab-20200101T000000Z-old-share"
    old.mkdir()
    (old / scratch.MARKER).write_text("20200101T000000Z-old share\n")  # before owners
    env = {"WSL_LAB_PAUSE_AT": "tool", "WSL_LAB_PAUSE_S": "20", "WSL_LAB_CACHE": str(cache_home)}
    run = CliRun(["run", "disk", "--profile", "smoke", "--tools", "fio", "--root", str(root)], env)
    try:
        run.wait_for("paused at tool")
        live = [p for p in scratch.leftover_scratch(native) if p != old]
        assert live
        other = tmp_path / "raw2"
        swept = run_cli("runs", "--reclaim", "--root", str(other))
        assert "reclaimed nothing" in swept.stderr, swept.stderr
        assert all(p.is_dir() for p in live) and theirs.is_dir() and old.is_dir()
        listed = json.loads(run_cli("runs", "--root", str(root), "--format", "json").stdout)
        assert [r["status"] for r in listed] == ["running"]
    finally:
        run.ctrl_c()
        run.finish()
    assert theirs.is_dir() and old.is_dir()


def test_reclaim_on_demand_after_a_kill(tmp_path, cache_home, tiny):
    root = tmp_path / "raw"
    native = targets.default_native_dir()
    env = {"WSL_LAB_PAUSE_AT": "setup", "WSL_LAB_PAUSE_S": "20", "WSL_LAB_CACHE": str(cache_home)}
    run = CliRun(["run", "devloop", "--profile", "smoke", "--root", str(root),
                  "--target", f"share=fuse:{native}"], env)  # fmt: skip
    native.mkdir(parents=True, exist_ok=True)
    _kill_when(run, "paused at setup", 1)
    # the layer follows its parent out (its parent-death signal), leaving the mount point
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _mounted(cache_home):
        time.sleep(0.2)
    swept = run_cli("runs", "--reclaim", "--root", str(root))
    assert swept.stderr.startswith("reclaimed 1 scratch directory"), swept.stderr
    assert "dead mount" in swept.stderr
    assert_clean(cache_home, native)


def test_a_kill_before_the_scratch_is_marked_leaves_nothing_a_reclaim_misses(
    tmp_path, cache_home, tiny
):
    root = tmp_path / "raw"
    native = targets.default_native_dir()
    env = {"WSL_LAB_PAUSE_AT": "scratch", "WSL_LAB_PAUSE_S": "20",
           "WSL_LAB_CACHE": str(cache_home)}  # fmt: skip
    run = CliRun(["run", "disk", "--profile", "smoke", "--tools", "fio", "--root", str(root)],
                 env)  # fmt: skip
    _kill_when(run, "paused at scratch", 1)
    (left,) = native.glob("wsl-lab-*")
    assert not (left / scratch.MARKER).exists()  # made, never marked
    swept = run_cli("runs", "--reclaim", "--root", str(root))
    assert swept.stderr.startswith("reclaimed 1 scratch directory"), swept.stderr
    assert left.name in swept.stderr
    assert_clean(cache_home, native)


def test_a_mount_owner_left_before_its_mount_point_was_made_is_reclaimed(tmp_path, cache_home):
    """The owner file is written before the mount point: a kill between them leaves only it."""
    dead = subprocess.Popen(["sleep", "30"])
    who = owner.identity(dead.pid)
    dead.kill()
    dead.wait()
    mnt = cache_home / "mnt"
    mnt.mkdir(parents=True)
    owned = share.owner_label(mnt / "20261201T000000Z-test-share")
    owned.write_text(owner.marker_text("20261201T000000Z-test-share", "mount", who))
    swept = run_cli("runs", "--reclaim", "--root", str(tmp_path / "raw"))
    assert "1 dead mount" in swept.stderr, swept.stderr
    assert list(mnt.iterdir()) == []


def _mounted(cache) -> bool:
    return any(m.mount_point.startswith(str(cache)) for m in mounts.read_table())


def _disk_at_the_shares_tool(root: Path, cache_home: Path, tool: str) -> tuple[CliRun, int]:
    """`wsl-lab run disk` with one tool, paused as the share's tool starts (native's ran
    first): the run, and the pid of the share's layer, which is up."""
    env = {"WSL_LAB_PAUSE_AT": "tool", "WSL_LAB_PAUSE_S": "2", "WSL_LAB_CACHE": str(cache_home)}
    run = CliRun(["run", "disk", "--profile", "smoke", "--tools", tool, "--root", str(root)],
                 env)  # fmt: skip
    run.wait_for("paused at tool")  # native's
    run.wait_for("paused at tool")  # the share's
    (layer,) = _layers(cache_home)
    return run, layer


def test_the_share_layer_killed_mid_tool_fails_its_target_within_seconds(
    tmp_path, cache_home, tiny
):
    root = tmp_path / "raw"
    native = targets.default_native_dir()
    run, layer = _disk_at_the_shares_tool(root, cache_home, "bonnie")
    os.kill(layer, signal.SIGKILL)
    killed = time.monotonic()
    status = run.finish(timeout=120)
    assert time.monotonic() - killed < 60
    err = "".join(run.err)
    assert status == 1, err
    assert "Traceback" not in err and "Errno" not in err
    failed = [ln for ln in err.splitlines() if ln.startswith("  share: failed")]
    assert len(failed) == 1 and "the share layer exited with status -9" in failed[0]
    _, m = only_run(root, "disk")
    assert m["targets"]["native"]["status"] == "complete", json.dumps(m["targets"]["native"])
    assert m["targets"]["share"]["status"] == "failed"
    assert "the share layer exited with status -9" in m["targets"]["share"]["error"]
    assert_clean(cache_home, native)


def test_a_share_layer_that_stops_answering_is_ended_and_its_target_fails(
    tmp_path, cache_home, tiny
):
    """Alive and asleep, as a deadlocked layer is: neither exited nor stopped."""
    root = tmp_path / "raw"
    native = targets.default_native_dir()
    env = {"WSL_LAB_PAUSE_AT": "tool", "WSL_LAB_PAUSE_S": "2", "WSL_LAB_CACHE": str(cache_home),
           "WSL_LAB_LAYER_FAULTS": "1"}  # fmt: skip
    run = CliRun(["run", "disk", "--profile", "smoke", "--tools", "fio", "--root", str(root)],
                 env)  # fmt: skip
    run.wait_for("paused at tool")
    run.wait_for("paused at tool")  # the share's fio
    (layer,) = _layers(cache_home)
    (mnt,) = (p for p in (cache_home / "mnt").iterdir() if p.is_dir())
    asker = subprocess.Popen(["stat", str(mnt / ".wsl-lab-hang")], stderr=subprocess.DEVNULL)
    hung = time.monotonic()
    status = run.finish(timeout=120)
    assert time.monotonic() - hung < 30
    err = "".join(run.err)
    assert status == 1, err
    assert "Traceback" not in err
    failed = [ln for ln in err.splitlines() if ln.startswith("  share: failed")]
    assert len(failed) == 1 and "the share layer stopped answering" in failed[0], err
    assert asker.wait(timeout=10) != 0  # its request ended with the layer, unanswered
    assert not Path(f"/proc/{layer}").exists()
    _, m = only_run(root, "disk")
    assert m["targets"]["native"]["status"] == "complete", json.dumps(m["targets"]["native"])
    assert m["targets"]["share"]["status"] == "failed"
    assert_clean(cache_home, native)


def _layers(cache) -> list[int]:
    """Our share layer's processes for mounts under cache."""
    found = []
    for pid in (p for p in Path("/proc").iterdir() if p.name.isdigit()):
        try:
            cmd = (pid / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        text = b" ".join(cmd).decode(errors="replace")
        if "analysis.share.passthrough" in text and str(cache) in text:
            found.append(int(pid.name))
    return found


@pytest.mark.parametrize("experiment", ["disk", "llm", "devloop"])
def test_kill9_mid_measurement_on_the_share_then_a_reclaim_clears_it(
    tmp_path, cache_home, tiny, experiment
):
    """As for Qdrant above, for every other experiment (tiny sizes): what the kill left is
    reclaimed. That the next run does the reclaiming itself is the Qdrant test's; here
    `wsl-lab runs --reclaim` does it, without measuring everything again."""
    root = tmp_path / "raw"
    native = targets.default_native_dir()
    env = {"WSL_LAB_PAUSE_AT": "tool", "WSL_LAB_PAUSE_S": "2", "WSL_LAB_CACHE": str(cache_home)}
    run = CliRun(["run", experiment, "--profile", "smoke", "--root", str(root)], env)
    while True:  # each pause as it comes: the first one while the share's scratch exists
        run.wait_for("paused at tool", timeout=300)
        left = [p for p in scratch.leftover_scratch(native) if p.name.endswith("-share")]
        if left:
            break
    os.kill(run.proc.pid, signal.SIGKILL)  # a tool on the share
    run.finish()
    assert all(p.is_dir() for p in left)  # what kill -9 leaves
    swept = run_cli("runs", "--reclaim", "--root", str(root))
    assert swept.returncode == 0, swept.stderr
    assert swept.stderr.startswith("reclaimed "), swept.stderr
    assert all(p.name in swept.stderr for p in left), swept.stderr
    listed = json.loads(run_cli("runs", "--root", str(root), "--format", "json").stdout)
    assert [r["status"] for r in listed] == ["abandoned"]
    assert_clean(cache_home, native)


def test_the_share_layer_stopped_mid_tool_is_ended_and_its_target_fails(
    tmp_path, cache_home, tiny
):
    """A layer that stops answering (here: SIGSTOP) would hang the tool and our own cleanup."""
    root = tmp_path / "raw"
    run, layer = _disk_at_the_shares_tool(root, cache_home, "fio")
    os.kill(layer, signal.SIGSTOP)
    stopped = time.monotonic()
    status = run.finish(timeout=120)
    assert time.monotonic() - stopped < 60
    err = "".join(run.err)
    assert status == 1 and "Traceback" not in err, err
    _, m = only_run(root, "disk")
    assert m["targets"]["native"]["status"] == "complete", json.dumps(m["targets"]["native"])
    assert "the share layer was stopped and did not answer" in m["targets"]["share"]["error"]
    assert_clean(cache_home, targets.default_native_dir())
