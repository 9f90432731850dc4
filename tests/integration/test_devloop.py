"""The dev-loop experiment for real: Jekyll built and watched on a native directory and on
the simulated share, edits from both sides, git on the same files."""

from __future__ import annotations

import json
import shutil

import pytest

from analysis.places import mounts
from analysis.share.mount import fuse_available

from ..conftest import cli, run_cli

pytestmark = [pytest.mark.integration]
needs = pytest.mark.skipif(
    not shutil.which("jekyll") or fuse_available() is not None,
    reason=f"jekyll: {shutil.which('jekyll')}; FUSE: {fuse_available()}",
)


@needs
def test_smoke_run_native_and_share(tmp_path, cache_home):
    root = tmp_path / "raw"
    done = run_cli(
        "run",
        "devloop",
        "--profile",
        "smoke",
        "--posts",
        "8",
        # an edit that arrives shows in well under a second here (a rebuild of 8 posts); one
        # that never arrives is waited for this long, four times per run: 10 s is the
        # profile's, for sites of any size
        "--change-timeout-s",
        "4",
        "--root",
        str(root),
        env={"WSL_LAB_CACHE": str(cache_home)},
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (run_dir,) = (root / "devloop").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "complete" and m["tools"]["jekyll"]
    edits = {}
    for label in ("native", "share"):
        t = m["targets"][label]
        assert t["build_s"] > 0 and len(t["builds_s"]) == m["parameters"]["reps"]
        assert {(e["side"], e["watch"]) for e in t["edits"]} == {
            (s, w) for s in ("placement", "other") for w in ("events", "polling")
        }
        for e in t["edits"]:
            # a change that arrived has a time; one that did not has none, never a number
            assert (e["rebuild_s"] is None) or e["delivered"]
            if not e["delivered"]:
                assert e["rebuild_s"] is None and e["noticed_s"] is None
            edits[(label, e["side"], e["watch"])] = e
        assert t["git"]["status_cold_s"] > 0 and t["git"]["cold"] is True
    # the post's finding, on this machine: an edit from the other side arrives as a change
    # event natively, never through the simulated share; polling finds it on both
    assert edits[("native", "other", "events")]["delivered"] is True
    assert edits[("share", "other", "events")]["delivered"] is False
    assert edits[("share", "other", "polling")]["delivered"] is True
    assert edits[("share", "placement", "events")]["delivered"] is True
    assert m["targets"]["share"]["share_model"] == "wsl2-9p"
    assert not any(x.mount_point.startswith(str(cache_home)) for x in mounts.read_table())
    assert not list((cache_home / "targets" / "native").iterdir())  # scratch removed


def test_a_bad_option_is_one_line_naming_it(tmp_path):
    done = cli("run", "devloop", "--posts", "0", "--root", str(tmp_path))
    assert done.returncode == 2
    line = done.stderr.strip()
    assert line == "wsl-lab: error: --posts: posts must be at least 1, got 0"
    assert "\n" not in line and not (tmp_path / "devloop").exists()
