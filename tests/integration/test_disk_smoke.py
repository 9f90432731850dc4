"""Really runs the disk experiment's smoke profile: native directory and its FUSE share."""

import json
import os
import shutil
from pathlib import Path

import pytest

from analysis.disk import process
from analysis.places import mounts
from analysis.share.mount import fuse_available
from analysis.targets import scratch

from ..conftest import run_cli

pytestmark = [pytest.mark.integration]
needs_tools = pytest.mark.skipif(
    not (shutil.which("bonnie++") and shutil.which("fio")), reason="bonnie++/fio not installed"
)
needs_fuse = pytest.mark.skipif(fuse_available() is not None, reason=f"{fuse_available()}")


def _no_leftovers(cache: Path, native: Path) -> None:
    mnt = cache / "mnt"
    assert not any(m.mount_point.startswith(str(cache)) for m in mounts.read_table())
    assert not mnt.exists() or list(mnt.iterdir()) == []
    assert scratch.leftover_scratch(native) == []


@needs_tools
@needs_fuse
def test_smoke_native_and_share(tmp_path, cache_home):
    root = tmp_path / "raw"
    done = run_cli(
        "run",
        "disk",
        "--profile",
        "smoke",
        "--root",
        str(root),
        env={"WSL_LAB_CACHE": str(cache_home)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (run_dir,) = (root / "disk").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "complete" and m["ended_utc"]
    assert m["targets"]["share"]["fstype"] == "fuse.wsl-lab"
    assert m["targets"]["share"]["share_model"] == "wsl2-9p"
    native_dir = cache_home / "targets" / "native"
    assert m["targets"]["share"]["mount_source"] == f"wsl-lab:wsl2-9p:{native_dir}"
    assert m["targets"]["share"]["class"] == "simulated share"
    assert m["targets"]["share"]["place"] == "simulated share `fuse.wsl-lab`, model wsl2-9p"
    assert m["targets"]["native"]["class"] == "native"
    assert m["tools"]["fio"].startswith("fio-")
    for label in ("native", "share"):
        assert (run_dir / label / "bonnie-r1.out").is_file()
        assert (run_dir / label / "fio-r1.json").is_file()
    assert set(m["files"]) >= {"native/bonnie-r1.out", "share/fio-r1.json"}

    table = process.tidy_run(run_dir)
    assert set(table["target"]) == {"native", "share"}
    assert set(table["tool"]) == {"bonnie", "fio"}
    assert (table.loc[~table["too_fast"], "value"].dropna() > 0).all()
    # a rate from a job shorter than fio can time is its lower bound: still a floor to beat
    rated = table.assign(at_least=table["value"].fillna(table["lower_bound"]))
    iops = rated[rated["metric"].str.endswith(".iops")].set_index(["target", "metric"])
    for job in ("byte_write.write", "file_create.write"):
        assert (
            iops.loc[("share", f"{job}.iops"), "value"]
            < iops.loc[("native", f"{job}.iops"), "at_least"]
        ), job
    # cold reads the disk, warm reads memory: each job measures what it says
    p50 = table[table["metric"].str.endswith(".clat_p50")].set_index(["target", "metric"])
    cold = p50.loc[("native", "rand_read.read.clat_p50"), "value"]
    warm = p50.loc[("native", "rand_read_warm.read.clat_p50"), "value"]
    assert cold >= 10, f"a cold 4k read in {cold} µs is memory, not a disk"
    assert warm < cold / 5, (warm, cold)
    assert p50.loc[("native", "rand_read.read.clat_p50"), "cache"] == "cold"
    _no_leftovers(cache_home, cache_home / "targets" / "native")


@needs_tools
def test_bad_targets_are_skipped_and_others_go_on(tmp_path, cache_home, tiny):
    good = tmp_path / "good"
    good.mkdir()
    root = tmp_path / "raw"
    done = run_cli(
        "run",
        "disk",
        "--profile",
        "smoke",
        "--root",
        str(root),
        "--tools",
        "fio",
        "--target",
        f"good={good}",
        "--target",
        f"missing={tmp_path / 'nope'}",
        env={"WSL_LAB_CACHE": str(cache_home)},
    )
    assert done.returncode == 1
    assert "missing: failed" in done.stderr and "does not exist" in done.stderr
    (run_dir,) = (root / "disk").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "complete"
    assert m["targets"]["good"]["status"] == "complete"
    assert m["targets"]["missing"]["status"] == "failed"
    assert os.listdir(good) == []  # our scratch came and went


@needs_tools
def test_missing_tool_and_missing_fuse(tmp_path, cache_home, tiny):
    """bonnie++ and fusermount3 hidden from PATH: clear reasons, fio still measures."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("fio", "git"):
        if shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    root = tmp_path / "raw"
    done = run_cli(
        "run",
        "disk",
        "--profile",
        "smoke",
        "--root",
        str(root),
        env={"WSL_LAB_CACHE": str(cache_home), "PATH": str(bin_dir)},
    )
    assert done.returncode == 1
    assert "bonnie++ not found on PATH" in done.stderr
    assert "FUSE share unavailable" in done.stderr and "fusermount3" in done.stderr
    (run_dir,) = (root / "disk").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["targets"]["native"]["status"] == "partial"
    assert m["targets"]["share"]["status"] == "failed"
    assert (run_dir / "native" / "fio-r1.json").is_file()
