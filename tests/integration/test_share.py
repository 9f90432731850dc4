"""The simulated share for real: mount options, inodes and times, latency, `wsl-lab share`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.placement import mounts
from analysis.placement.microbench import Sizes, bench_loop, bench_small_write
from analysis.placement.models import load_model, model_toml
from analysis.placement.share import fuse_available, fuse_share

from ..conftest import run_cli

pytestmark = [pytest.mark.integration]
needs_fuse = pytest.mark.skipif(fuse_available() is not None, reason=f"{fuse_available()}")


def _model(tmp_path: Path, name: str = "t", **values: float):
    from dataclasses import replace

    model = replace(load_model("wsl2-9p"), name=name, calibration=None, **values)
    model = replace(
        model,
        **{
            k: values.get(k, 0.0)
            for k in (
                "meta_latency_us",
                "read_latency_us",
                "write_latency_us",
                "read_mib_s",
                "write_mib_s",
            )
        },
    )
    path = tmp_path / f"{name}.toml"
    path.write_text(model_toml(model))
    return load_model(str(path)), path


def _no_mounts_under(cache: Path) -> bool:
    return not any(m.mount_point.startswith(str(cache)) for m in mounts.read_table())


@needs_fuse
def test_layer_applies_the_model_and_passes_inodes_and_times(tmp_path, cache_home):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_text("hello")
    model, _ = _model(tmp_path)
    with fuse_share(src, "t1", model) as mnt:
        m = mounts.mount_of(mnt)
        assert m.fstype == "fuse.wsl-lab"
        assert m.source == f"wsl-lab:{model.name}:{src}"
        assert "max_read=4096" in m.options
        assert sorted(os.listdir(mnt / "sub")) == ["a.txt"]
        through, direct = os.stat(mnt / "sub" / "a.txt"), os.stat(src / "sub" / "a.txt")
        # git compares inode numbers and nanosecond times: both must pass through unchanged
        assert through.st_ino == direct.st_ino
        assert through.st_mtime_ns == direct.st_mtime_ns
        (mnt / "sub" / "b.txt").write_text("written through the share")
        os.rename(mnt / "sub" / "b.txt", mnt / "sub" / "c.txt")
    assert (src / "sub" / "c.txt").read_text() == "written through the share"
    assert _no_mounts_under(cache_home)
    assert not list((cache_home / "mnt").iterdir())


@needs_fuse
def test_added_latency_really_slows_requests(tmp_path, cache_home):
    src = tmp_path / "src"
    src.mkdir()
    sizes = Sizes(writes=300, loops=30)
    times = {}
    for latency in (0.0, 400.0):
        model, _ = _model(
            tmp_path, f"l{int(latency)}", meta_latency_us=latency, write_latency_us=latency
        )
        with fuse_share(src, f"lat{int(latency)}", model) as mnt:
            times[latency] = (bench_small_write(mnt, sizes), bench_loop(mnt, sizes))
    (write0, loop0), (write1, loop1) = times[0.0], times[400.0]
    # every one-byte write is one request: it must wait at least the added 400 µs
    assert write1 - write0 >= 0.8 * 400e-6
    assert loop1 > 2 * loop0


@needs_fuse
def test_bad_model_file_is_refused_before_a_run(tmp_path, cache_home):
    bad = tmp_path / "bad.toml"
    bad.write_text('[share]\nname = "bad"\nread_latency_us = "slow"\n')
    root = tmp_path / "raw"
    done = run_cli("run", "disk", "--share-model", str(bad), "--root", str(root))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "share.read_latency_us" in lines[0]
    assert not (root / "disk").exists() or not list((root / "disk").iterdir())


@needs_fuse
@pytest.mark.skipif(not shutil.which("git"), reason="git not installed")
def test_share_command_runs_git_and_exits_with_its_status(tmp_path, cache_home):
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "pkg" / "x.py").write_text("print(1)\n")
    env = {"WSL_LAB_CACHE": str(cache_home)}

    done = run_cli("share", str(repo), "--", "git", "status", "--porcelain", env=env)
    assert done.returncode == 0, done.stderr
    assert "?? pkg/" in done.stdout
    assert "took" in done.stderr and "wsl2-9p" in done.stderr

    done = run_cli("share", str(repo), "--", "git", "no-such-subcommand", env=env)
    assert done.returncode == 1  # git's own status for an unknown command

    done = run_cli("share", str(repo), "--", "sh", "-c", "pwd; exit 3", env=env)
    assert done.returncode == 3
    assert done.stdout.strip().startswith(str(cache_home / "mnt"))

    # from inside the folder: the same relative place inside the share
    inner = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "share", str(repo), "--", "pwd"],
        cwd=repo / "pkg",
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert inner.returncode == 0, inner.stderr
    assert inner.stdout.strip().endswith("/pkg")
    assert inner.stdout.strip() != str(repo / "pkg")

    done = run_cli("share", str(repo), "--", "no-such-command-wsl-lab", env=env)
    assert done.returncode == 127 and "command not found" in done.stderr
    assert _no_mounts_under(cache_home)


@needs_fuse
@pytest.mark.slow
def test_closed_loop_calibration_reproduces_a_known_share(tmp_path, cache_home):
    """Calibrate against a share whose latencies we set; the fitted model must reproduce
    the known share's microbenchmarks within 25%, and a disk run must accept it."""
    place = tmp_path / "place"
    place.mkdir()
    _, known = _model(
        # latencies well above the layer's own jittery ~0.1 ms per request, which would
        # otherwise dominate the small microbenchmarks' noise
        tmp_path,
        "known",
        meta_latency_us=150.0,
        read_latency_us=80.0,
        write_latency_us=300.0,
    )
    env = {"WSL_LAB_CACHE": str(cache_home)}
    # On this 2-vCPU VM, amid the whole suite, the machine can drift by 20% within the
    # calibration's four minutes (seen in CI: every benchmark off in the same direction).
    # One second calibration is allowed; both are printed, and two misses fail.
    for attempt in (1, 2):
        out = tmp_path / f"fitted-{attempt}.toml"
        started = time.perf_counter()
        done = run_cli(
            "calibrate",
            "--target",
            f"native={place}",
            "--target",
            f"share=fuse:{place}",
            "--share-model",
            str(known),
            "--out",
            str(out),
            # five repetitions: a single file create here varies 10x between runs (ext4 journal)
            "--reps",
            "5",
            env=env,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr
        fitted = load_model(str(out))
        table = fitted.calibration["benchmarks"]
        errors = {b: round(row["error_pct"], 1) for b, row in table.items()}
        took = time.perf_counter() - started
        print(f"attempt {attempt}: calibration took {took:.0f} s; errors %: {errors}")
        if all(abs(e) <= 25 for e in errors.values()):
            break
    assert all(abs(e) <= 25 for e in errors.values()), errors
    assert fitted.calibration["method"] == "measured share"

    raw = tmp_path / "raw"
    done = run_cli(
        "run",
        "disk",
        "--profile",
        "smoke",
        "--tools",
        "fio",
        "--share-model",
        str(out),
        "--root",
        str(raw),
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads(next(raw.glob("disk/*/manifest.json")).read_text())
    share = manifest["targets"]["share"]
    assert share["share_model"] == out.stem  # the model is named after its file
    assert share["share_parameters"]["write_latency_us"] == fitted.write_latency_us
    assert "max_read=4096" in share["share_mount_options"]
    assert _no_mounts_under(cache_home)
