"""Results are never lost: runs are exclusive and verified; `make clean` spares data/raw."""

import shutil
import subprocess

from analysis import paths, runs


def test_make_clean_removes_derived_outputs_only(tmp_path):
    tree = tmp_path / "repo"
    for rel in (
        "data/raw/disk/r1/manifest.json",
        "data/raw/reference/manifest.json",
        "data/processed/disk.csv",
        "reports/figures/x.png",
        "data/sample/raw/disk/s/manifest.json",
        "data/sample/figures/y.png",
    ):
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_text("x")
    shutil.copy(paths.ROOT / "Makefile", tree / "Makefile")
    subprocess.run(["make", "-s", "clean"], cwd=tree, check=True, capture_output=True)
    assert (tree / "data/raw/disk/r1/manifest.json").is_file()
    assert (tree / "data/raw/reference/manifest.json").is_file()
    assert (tree / "data/sample/raw/disk/s/manifest.json").is_file()
    assert not (tree / "data/processed").exists() and not (tree / "reports").exists()
    assert not (tree / "data/sample/figures").exists()


def test_a_run_directory_is_never_reused(tmp_path):
    made = {runs.create_run("disk", {}, tmp_path).path for _ in range(5)}
    assert len(made) == 5  # same second, five distinct directories


def test_completed_run_checksums_cover_every_file(sample_raw):
    for manifest in sample_raw.glob("*/*/manifest.json"):
        m = runs.load_manifest(manifest.parent)
        files = {
            str(p.relative_to(manifest.parent))
            for p in manifest.parent.rglob("*")
            if p.is_file() and p.name != "manifest.json"
        }
        assert set(m["files"]) == files
        assert runs.verify_run(manifest.parent) == []
