"""Two runs at once on the same target: distinct run directories, scratch and mount points."""

import pytest

from analysis.share.mount import fuse_available

from .conftest import CliRun, assert_clean


@pytest.mark.skipif(fuse_available() is not None, reason=f"{fuse_available()}")
def test_two_runs_same_target_same_second(tmp_path, cache_home, tiny):
    import json

    native = cache_home / "targets" / "native"
    native.mkdir(parents=True)
    root = tmp_path / "raw"
    args = [
        "run",
        "disk",
        "--profile",
        "smoke",
        "--tools",
        "fio",
        "--root",
        str(root),
        "--target",
        f"native={native}",
        "--target",
        f"share=fuse:{native}",
    ]
    env = {"WSL_LAB_CACHE": str(cache_home), "WSL_LAB_PAUSE_AT": "tool", "WSL_LAB_PAUSE_S": "1"}
    a, b = CliRun(args, env), CliRun(args, env)
    assert a.finish() == 0 and b.finish() == 0, "".join(a.err + b.err)
    runs = sorted((root / "disk").iterdir())
    assert len(runs) == 2 and runs[0].name != runs[1].name
    ms = [json.loads((r / "manifest.json").read_text()) for r in runs]
    assert all(m["status"] == "complete" for m in ms)
    mounts = {m["targets"]["share"]["mount_point"] for m in ms}
    assert len(mounts) == 2  # each run had its own FUSE mount point
    assert_clean(cache_home, native)
