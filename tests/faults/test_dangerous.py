"""Dangerous targets are refused before anything is written; only our marked scratch is deleted."""

from pathlib import Path

import pytest

from analysis import paths
from analysis.targets import scratch

from ..conftest import cli


def _cases(tmp_path):
    f = tmp_path / "a-file"
    f.write_text("x")
    return [
        ("/", "root directory"),
        (str(Path.home()), "home directory itself"),
        (str(f), "not a directory"),
        (str(paths.RAW / "disk"), "data/ directory"),
        (str(paths.DATA), "data/ directory"),
    ]


@pytest.mark.parametrize("experiment", ["disk", "qdrant", "llm"])
def test_refused_before_anything_is_written(tmp_path, cache_home, experiment):
    for path, why in _cases(tmp_path):
        root = tmp_path / f"raw-{experiment}"
        done = cli(
            "run",
            experiment,
            "--profile",
            "smoke",
            "--root",
            str(root),
            "--target",
            f"x={path}",
            env={"WSL_LAB_CACHE": str(cache_home)},
        )
        assert done.returncode == 2, (path, done.stderr)
        assert why in done.stderr and done.stderr.count("\n") == 1
        assert not root.exists()  # no run directory, nothing measured
    assert not (cache_home / "mnt").exists()


def test_only_marked_scratch_is_deleted(tmp_path):
    # a directory that looks like ours but has no marker is left alone
    lookalike = tmp_path / "wsl-lab-20260101T000000Z-vm-abc-native"
    lookalike.mkdir()
    (lookalike / "thesis.tex").write_text("precious")
    assert scratch.remove_scratch(lookalike) is False
    assert (lookalike / "thesis.tex").read_text() == "precious"
    # ours is removed, even with nested content
    ours = scratch.make_scratch(tmp_path, "rid", "native")
    (ours / "a" / "b").mkdir(parents=True)
    (ours / "a" / "b" / "f").write_bytes(b"1")
    assert scratch.remove_scratch(ours) is True and not ours.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [lookalike.name]


def test_symlink_inside_scratch_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    ours = scratch.make_scratch(tmp_path, "rid", "t")
    (ours / "link").symlink_to(outside, target_is_directory=True)
    assert scratch.remove_scratch(ours) is True
    assert (outside / "keep.txt").read_text() == "keep"
