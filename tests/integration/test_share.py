"""The simulated share for real: mount options, inodes and times, service times, `share`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis.places import mounts
from analysis.share.models import load_model, model_toml
from analysis.share.mount import fuse_available, fuse_share

from ..conftest import cli, run_cli

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
                "meta_service_us",
                "read_service_us",
                "write_service_us",
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


def _one_byte_writes(mnt: Path, n: int = 200) -> list[float]:
    fd = os.open(mnt / "w.dat", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
    try:
        out = []
        for _ in range(n):
            t = time.perf_counter()
            os.write(fd, b"x")
            out.append(time.perf_counter() - t)
        return out
    finally:
        os.close(fd)


@needs_fuse
def test_a_slower_layer_serves_the_same_share(tmp_path, cache_home, monkeypatch):
    """Service times, not added latencies: with every request costing our layer 400 µs more
    (as on a slower machine: the fault hook WSL_LAB_LAYER_SLOW_US), a one-byte write is
    still answered in the model's 1000 µs; added to the layer's cost it would take 400 µs
    longer. The layer counts what it could not hold."""
    import statistics

    src = tmp_path / "src"
    src.mkdir()
    took, served = {}, {}
    for slow, service in ((0, 1000.0), (400, 1000.0), (0, 1.0)):
        monkeypatch.setenv("WSL_LAB_LAYER_FAULTS", "1")
        monkeypatch.setenv("WSL_LAB_LAYER_SLOW_US", str(slow))
        model, _ = _model(tmp_path, f"s{int(service)}", write_service_us=service)
        served[slow, service] = {}
        with fuse_share(src, f"svc{slow}-{int(service)}", model, served[slow, service]) as mnt:
            time.sleep(0.2)  # settled: nothing of the layer's own is left to start
            took[slow, service] = statistics.median(_one_byte_writes(mnt))
    fast, slower = took[0, 1000.0], took[400, 1000.0]
    print(f"one-byte write: {fast * 1e6:.0f} µs, on the slower layer {slower * 1e6:.0f} µs")
    assert 0.85 * 1000e-6 <= fast <= 1.2 * 1000e-6
    # each mount's estimate of what a request costs beyond the handler errs by up to ~7% of
    # the 1000 µs here (measured: 942 vs 1073 µs once), so the two may differ by twice that;
    # added to the layer's cost the slower one would be the whole 400 µs slower
    assert abs(slower - fast) < 0.4 * 400e-6, (fast, slower)
    writes = {k: v["kinds"]["write"] for k, v in served.items()}
    assert writes[0, 1000.0]["requests"] >= 200
    assert writes[0, 1000.0]["over_service"] <= 0.05 * writes[0, 1000.0]["requests"]
    assert writes[400, 1000.0]["over_service"] <= 0.15 * writes[400, 1000.0]["requests"]
    assert writes[0, 1.0]["over_service"] >= 0.9 * writes[0, 1.0]["requests"]  # never held
    assert served[0, 1000.0]["unseen_us"]["write"] > 0 and served[0, 1000.0]["gaps"] > 0


@needs_fuse
def test_bad_model_file_is_refused_before_a_run(tmp_path, cache_home):
    bad = tmp_path / "bad.toml"
    bad.write_text('[share]\nname = "bad"\nread_service_us = "slow"\n')
    root = tmp_path / "raw"
    done = cli("run", "disk", "--share-model", str(bad), "--root", str(root))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "share.read_service_us" in lines[0]
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


# The least calibration that still tells a right fit from a wrong one, measured on the 2-vCPU
# VM beside a CI run: one repetition at a quarter of the default sizes fits the known share
# within 4-10% (25 s); a fit whose service times come out 0.6x the known ones (a wrong model)
# misses stat, create, one-byte writes and the loop by 38-41%. Five repetitions at full size
# took 380 s for the same verdicts.
QUICK = {"files": 25, "writes": 250, "loops": 25, "mmap_mib": 2, "seq_mib": 4}


@needs_fuse
@pytest.mark.slow
def test_closed_loop_calibration_reproduces_a_known_share(tmp_path, cache_home, tiny, monkeypatch):
    """Calibrate against a share whose service times we set; the fitted model must reproduce
    the known share's microbenchmarks within 25%, and a disk run must accept it."""
    from analysis.share import calibrate
    from analysis.share.microbench import Sizes

    place = tmp_path / "place"
    place.mkdir()
    _, known = _model(
        # service times above the layer's own cost per request here (~0.1-0.2 ms), so the
        # known share holds them: it answers the same however busy the machine is
        tmp_path,
        "known",
        meta_service_us=700.0,
        read_service_us=300.0,
        write_service_us=500.0,
    )
    # `wsl-lab calibrate` as a user runs it, in this process so that its sizes can be QUICK
    monkeypatch.setattr(calibrate, "Sizes", lambda: Sizes(**QUICK))
    out = tmp_path / "fitted.toml"
    started = time.perf_counter()
    done = cli(
        "calibrate",
        "--target",
        f"native={place}",
        "--target",
        f"share=fuse:{place}",
        "--share-model",
        str(known),
        "--out",
        str(out),
        "--reps",
        "1",
    )
    assert done.returncode == 0, done.stderr
    fitted = load_model(str(out))
    table = fitted.calibration["benchmarks"]
    errors = {b: round(row["error_pct"], 1) for b, row in table.items()}
    took = time.perf_counter() - started
    print(f"calibration took {took:.0f} s; errors %: {errors}; fitted: {fitted.parameters()}")
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
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads(next(raw.glob("disk/*/manifest.json")).read_text())
    share = manifest["targets"]["share"]
    assert share["share_model"] == out.stem  # the model is named after its file
    assert share["share_parameters"]["write_service_us"] == fitted.write_service_us
    assert share["share_served"]["kinds"]["write"]["requests"] > 0  # what the layer counted
    assert "max_read=4096" in share["share_mount_options"]
    assert _no_mounts_under(cache_home)
