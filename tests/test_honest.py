"""Honest numbers: nothing missing prints as 0, derived data lands beside its source, and CI
cannot pass while the real tools are missing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from analysis import paths
from analysis.pipeline import build_report

from .conftest import write_manifest


def _fail_share(run_dir: Path, why: str) -> None:
    m = json.loads((run_dir / "manifest.json").read_text())
    m["targets"]["share"] = {"status": "failed", "error": why, "spec": "share=fuse:/x"}
    write_manifest(run_dir, m)


def test_post_of_runs_with_a_failed_target_prints_no_zeros(sample_raw, tmp_path):
    for exp in ("llm", "qdrant"):
        (run,) = (sample_raw / exp).iterdir()
        _fail_share(run, f"{exp} share: FUSE share unavailable: /dev/fuse is missing")
    for lang in ("zh-TW", "en"):
        out = build_report(
            sample_raw,
            lang=lang,
            day=date(2026, 11, 28),
            say=lambda s: None,
            reports=tmp_path / lang,
            processed=tmp_path / f"p-{lang}",
        )
        text = out["post"].read_text()
        for bad in (r"\b0 tokens", r"\b0\.00 秒", r"\b0\.00 s\b", r"\b0 vs 0\b", r"每秒 0\b"):
            assert not re.search(bad, text), (lang, bad)
        # the failed targets are named, with the reason from the manifest
        assert "llm share: FUSE share unavailable" in text
        assert "qdrant share: FUSE share unavailable" in text
        assert ("未量測" if lang == "zh-TW" else "not measured") in text


def test_derived_data_lands_beside_its_source(tmp_path):
    assert paths.processed_root("raw") == paths.PROCESSED
    assert paths.processed_root("sample") == paths.SAMPLE / "processed"
    theirs = tmp_path / "other-machine" / "raw"
    assert paths.raw_root(str(theirs)) == theirs
    assert paths.processed_root(str(theirs)) == tmp_path / "other-machine" / "processed"
    assert paths.figures_root(str(theirs)) == tmp_path / "other-machine" / "figures"


def test_ci_run_fails_when_a_real_tool_is_missing(tmp_path):
    """With CI set and bonnie++ hidden from PATH, the test session fails and names it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("fio", "bindfs", "jekyll", "git", "fusermount3", "sh"):
        if shutil.which(tool):
            (bin_dir / tool).symlink_to(shutil.which(tool))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(Path(__file__).parent / "test_config.py"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true", "PATH": str(bin_dir)},
        cwd=paths.ROOT,
        timeout=120,
    )
    assert done.returncode != 0
    assert "bonnie++" in done.stdout + done.stderr
