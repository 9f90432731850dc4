"""A target whose file system fills up mid-run: that target fails with the reason, others go on."""

import os

import pytest

from ..conftest import needs_root, small_tmpfs
from .conftest import CliRun, assert_clean, only_run


@pytest.fixture
def small_fs(tmp_path):
    with small_tmpfs(tmp_path / "small", "24m") as mnt:
        yield mnt


@needs_root
def test_disk_full_target_fails_others_complete(tmp_path, cache_home, small_fs):
    sentinel = small_fs / "users-file.txt"
    sentinel.write_text("not ours\n")
    native = tmp_path / "native"
    native.mkdir()
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
            f"small={small_fs}",
            "--target",
            f"native={native}",
        ],
        {"WSL_LAB_CACHE": str(cache_home), "WSL_LAB_PAUSE_AT": "setup", "WSL_LAB_PAUSE_S": "2"},
    )
    run.wait_for("paused at setup")
    # something else fills the disk while the harness gets ready: 23 of 24 MiB taken
    filler = small_fs / "filler.bin"
    with filler.open("wb") as fh:
        fh.write(b"\0" * (23 * 2**20))
    assert run.finish() == 1
    _, m = only_run(root, "disk")
    assert m["status"] == "complete"
    small = m["targets"]["small"]
    assert small["status"] == "failed"
    assert "No space left" in small["results"][0]["error"]
    assert m["targets"]["native"]["status"] == "complete"
    assert sorted(os.listdir(small_fs)) == ["filler.bin", "users-file.txt"]  # scratch gone
    assert sentinel.read_text() == "not ours\n"
    assert_clean(cache_home, native)
