"""`wsl-lab where` on the real simulated share: inside `wsl-lab share DIR -- …` a path is a
`simulated share` with its model (our layer and bindfs alike), outside it is `native`."""

from __future__ import annotations

import json

import pytest

from analysis.share.mount import fuse_available

from ..conftest import cli, run_cli

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(bool(fuse_available("bindfs")), reason=f"{fuse_available('bindfs')}"),
]


@pytest.mark.parametrize("model", ["wsl2-9p", "bindfs-nocache"])
def test_where_check_inside_and_outside_the_share(tmp_path, cache_home, model):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    outside = cli("where", "--json", "--check", str(project))
    assert outside.returncode == 0, outside.stderr
    assert json.loads(outside.stdout)[0]["class"] == "native"
    inside = run_cli(
        "share", "--share-model", model, str(project), "--",
        "wsl-lab", "where", "--json", "--check", ".", "src",
    )  # fmt: skip
    assert inside.returncode == 1, inside.stderr  # --check: on a share
    here, src = json.loads(inside.stdout)
    for row in (here, src):
        assert row["class"] == "simulated share" and row["share_model"] == model
        assert row["kind"] == f"wsl-lab:{model}"
        layer = f"wsl-lab:{model}:{project}" if model == "wsl2-9p" else str(project)
        assert row["mount_source"] == layer and row["fstype"] == "fuse.wsl-lab"
        assert row["costs"] and all(c["basis"] for c in row["costs"])
    assert here["mount_point"] == src["mount_point"] == here["resolved"]
    assert not (cache_home / "mnt").exists() or not any((cache_home / "mnt").iterdir())
