"""The post from data/raw alone: front matter, images, numbers that come from the data."""

import json
import re
import shutil
import statistics
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import ExperimentError
from analysis.pipeline import build_report
from analysis.runs import load_manifest

from .conftest import write_manifest

KEYS = [
    "layout",
    "title",
    "categories",
    "tags",
    "published",
    "comments_disqus",
    "comments_facebook",
    "comments_gitalk",
    "redirect_from",
    "logo",
]


# the mount facts WSL2 records for a target on /mnt/c (9p drvfs C:\, as in its mountinfo)
WSL2_DRIVE_C = {
    "fstype": "9p",
    "mount_point": "/mnt/c",
    "mount_source": "C:\\",
    "mount_root": "/",
    "mount_options": "rw,noatime,dirsync,aname=drvfs;path=C:\\;uid=1000;gid=1000;"
    "symlinkroot=/mnt/,mmap,access=client,msize=262144,trans=virtio",
    # what a run on WSL records of the drive (classified by the same code `where` uses)
    "class": "cross-os share",
    "kind": "wsl2-9p-drvfs",
    "place": "9p drvfs `C:\\temp` (virtio, msize 262144)",
}


def _build(raw, tmp_path, **kw):
    return build_report(
        raw,
        day=date(2026, 11, 28),
        say=lambda s: None,
        reports=tmp_path / "reports",
        processed=tmp_path / "processed",
        **kw,
    )


def _front(text):
    head = text.split("---\n")[1]
    return {
        line.split(":", 1)[0]: json.loads(line.split(":", 1)[1])
        for line in head.strip().splitlines()
    }


def test_post_layout_front_matter_and_images(sample_build):
    b = sample_build()
    post = b.built["post"]
    assert (
        post.relative_to(b.out / "reports" / "site").as_posix()
        == "_posts/2026-11-28-wsl-lab-where-files-live.md"
    )
    text = post.read_text()
    fm = _front(text)
    assert list(fm) == KEYS and fm["layout"] == "post" and fm["published"] is False
    assert "<!--more-->" in text
    images = re.findall(
        r"!\[\]\((/wp-content/images/2026-11-28-wsl-lab-where-files-live/[\w.-]+)\)", text
    )
    assert len(images) >= 6 and fm["logo"] in images
    for img in images:
        assert (b.out / "reports" / "site" / img.lstrip("/")).is_file()
    lines = text.splitlines()
    for i, line in enumerate(lines):  # the blog's caption line under each image
        if line.startswith("![]("):
            assert lines[i + 1].startswith("> ")
    for name in ("disk.csv", "qdrant.csv", "llm.csv"):
        assert (b.out / "processed" / name).is_file()


def test_numbers_come_from_the_data(sample_raw, tmp_path, sample_build):
    text = sample_build().text
    assert "67.563" in text and "3.417" in text  # read from the post's logs by the log reader
    (qdrant_run,) = (sample_raw / "qdrant").iterdir()
    m = load_manifest(qdrant_run)
    measured = [c for c in m["targets"]["native"]["cold_starts"] if not c["warmup"]]
    native = statistics.median(c["ready_s"] for c in measured)  # warm-ups are not quoted
    assert f"{native:.3f}" in text
    # change the measurement: the text follows
    cs = qdrant_run / "native" / "coldstart-r1.json"
    for c in measured:
        c["ready_s"] = 12.345
    write_manifest(qdrant_run, m)
    text2 = _build(sample_raw, tmp_path)["post"].read_text()
    assert "12.345" in text2 and f"{native:.3f}" not in text2
    assert cs.is_file()


def test_english_is_selectable(sample_build):
    text = sample_build("en").text
    assert "# Recommendations" in text and "建議" not in text.split("---\n", 2)[2].split("[")[0]


def test_several_machines_side_by_side(sample_raw, tmp_path):
    (disk_run,) = (sample_raw / "disk").iterdir()
    other = disk_run.with_name(disk_run.name.replace("-vm-", "-otherpc-"))
    shutil.copytree(disk_run, other)
    m = load_manifest(other)
    m["host"]["hostname"], m["run_id"] = "otherpc", other.name
    write_manifest(other, m)
    out = _build(sample_raw, tmp_path)
    assert len(out["runs"]["disk"]) == 2
    text = out["post"].read_text()
    assert "在 `otherpc` 上" in text and "在 `vm` 上" in text and "| `otherpc` |" in text


def test_modified_run_is_left_out_and_named_runs_must_exist(sample_raw, tmp_path):
    (disk_run,) = (sample_raw / "disk").iterdir()
    (disk_run / "native" / "bonnie-r1.out").write_text("tampered\n")
    said = []
    build_report(
        sample_raw,
        day=date(2026, 11, 28),
        say=said.append,
        reports=tmp_path / "r",
        processed=tmp_path / "p",
    )
    assert any("left out, changed since it ended" in s for s in said)
    with pytest.raises(ExperimentError, match="no complete, unmodified run nope"):
        _build(sample_raw, tmp_path, run_ids=["nope"])


def test_an_edited_manifest_is_named_and_left_out_and_the_others_report(sample_raw, tmp_path):
    """The numbers the post reads from a manifest are data too: editing one is caught."""
    (qdrant_run,) = (sample_raw / "qdrant").iterdir()
    text = (qdrant_run / "manifest.json").read_text()
    m = json.loads(text)
    ready = m["targets"]["native"]["cold_starts"][0]["ready_s"]
    (qdrant_run / "manifest.json").write_text(text.replace(str(ready), str(ready / 10), 1))
    said: list[str] = []
    out = build_report(
        sample_raw,
        day=date(2026, 11, 28),
        say=said.append,
        reports=tmp_path / "r",
        processed=tmp_path / "p",
    )
    named = [s for s in said if qdrant_run.name in s]
    assert named and "manifest.json: changed after the run ended" in named[0], said
    assert "qdrant" not in out["runs"] and {"disk", "llm", "devloop"} <= set(out["runs"])


def test_post_has_the_fidelity_table_computed_from_the_runs(sample_build):
    from analysis.pipeline import select_runs_for_report
    from analysis.report.fidelity import fidelity_table

    b = sample_build("en")
    text = b.text
    assert "How faithful is the simulated share" in text
    chosen = select_runs_for_report(b.raw, say=lambda s: None)
    tables = {e: pd.read_csv(b.out / "processed" / f"{e}.csv") for e in ("disk", "qdrant")}
    table = fidelity_table(tables, chosen)
    assert set(table["workload"]) >= {"Qdrant cold start", "per-char (one-byte) writes"}
    for r in table.itertuples():  # each row of the table is in the post, with its verdict
        row = next(ln for ln in text.splitlines() if ln.startswith(f"| {r.workload} |"))
        ours = "not measured" if pd.isna(r.simulated) else f"{r.simulated:.1f}×"
        assert ours in row
    # the post's ratios come from its own data: 67.563 / 3.417 and 38.376 / 1.499
    qd = table[table["workload"] == "Qdrant cold start"].iloc[0]
    assert qd.post_low == pytest.approx(67.563 / 3.417, rel=1e-3)
    assert qd.post_high == pytest.approx(38.376 / 1.499, rel=1e-3)


def test_fidelity_verdicts():
    from analysis.report.fidelity import holds

    assert holds(20.0, 25.0, 30.0, False) == "yes"
    assert holds(20.0, 25.0, 60.0, False) == "direction only"
    assert holds(20.0, 25.0, 5.0, False) == "direction only"
    assert holds(20.0, None, 0.8, False) == "no"
    assert holds(None, None, 3.0, False) == "yes (direction)"
    assert holds(41.0, None, 30.0, True) == "yes"  # at least 41x: 30x is within 2x
    assert holds(41.0, None, 8.0, True) == "direction only"
    assert holds(14.0, None, None, False) == "not measured"


def test_post_names_each_place_by_its_mount(sample_raw, tmp_path, sample_build):
    text = sample_build("en").text
    simulated = "simulated share (`fuse.wsl-lab`, model `wsl2-9p`)"
    assert f"| `vm` | `share` | {simulated} | simulated share |" in text
    assert "| `vm` | `native` | `ext4` | native |" in text
    # a run whose share was a real WSL2 drive (its manifest as WSL2 would record it)
    (disk,) = (sample_raw / "disk").iterdir()
    m = json.loads((disk / "manifest.json").read_text())
    share = m["targets"]["share"]
    for key in [k for k in share if k.startswith("share_")]:
        del share[key]
    share.update(
        spec="share=/mnt/c/temp",
        fuse=False,
        path="/mnt/c/temp",
        real_path="/mnt/c/temp",
        **WSL2_DRIVE_C,
    )
    write_manifest(disk, m)
    text = _build(sample_raw, tmp_path / "again", lang="en")["post"].read_text()
    row = "| `vm` | `share` | 9p drvfs `C:\\temp` (virtio, msize 262144) | cross-os share | `/mnt/c/temp` | disk |"  # noqa: E501
    assert row in text


def _standin_wsl_run(run: Path) -> None:
    """Stand-in for a WSL run: the sample's simulated share stays, and a `windows` target is
    added as WSL2 records `/mnt/c/temp`, holding the native target's own files: a real
    share exactly as fast as native. Its slowdown is 1.0x, which no share of the sample's
    is, so the real column shows where it was read from, and the simulation (many times
    slower) must be found not to hold."""
    import shutil

    m = json.loads((run / "manifest.json").read_text())
    shutil.copytree(run / "native", run / "windows")
    windows = dict(m["targets"]["native"])
    windows.update(
        spec="windows=/mnt/c/temp",
        fuse=False,
        path="/mnt/c/temp",
        real_path="/mnt/c/temp",
        **WSL2_DRIVE_C,
    )
    m["targets"]["windows"] = windows
    for rel, digest in list(m["files"].items()):
        if rel.startswith("native/"):
            m["files"]["windows/" + rel[len("native/") :]] = digest
    write_manifest(run, m)


def test_fidelity_real_column_from_a_standin_wsl_run(sample_raw, tmp_path, sample_build):
    from analysis.pipeline import select_runs_for_report
    from analysis.report.fidelity import fidelity_table, holds_here

    def table(raw, out):
        chosen = select_runs_for_report(raw, say=lambda s: None)
        tables = {e: pd.read_csv(out / "processed" / f"{e}.csv") for e in ("disk", "qdrant")}
        return fidelity_table(tables, chosen)

    b = sample_build("en")
    before = table(b.raw, b.out)
    assert before["real"].isna().all() and "real share" not in b.text  # off WSL: no real column
    for exp in ("disk", "qdrant"):
        (run,) = (sample_raw / exp).iterdir()
        _standin_wsl_run(run)
    text = _build(sample_raw, tmp_path / "after", lang="en")["post"].read_text()
    after = table(sample_raw, tmp_path / "after")
    assert list(after["workload"]) == list(before["workload"])
    slower = 0
    for b_, a in zip(before.itertuples(), after.itertuples(), strict=True):
        if pd.isna(b_.simulated):
            assert pd.isna(a.simulated) and a.holds_here == "not measured"
            continue
        # the real share is the windows target (as fast as native), the simulation the share
        assert a.real == pytest.approx(1.0) and a.simulated == pytest.approx(b_.simulated)
        assert a.holds_here == holds_here(1.0, b_.simulated)
        if b_.simulated > 1:
            assert a.holds_here == "no"  # the simulation says slower; the real share is not
            slower += 1
    assert slower >= 3  # the sample's share is slower on most workloads: checked, not vacuous
    header = next(ln for ln in text.splitlines() if ln.startswith("| workload |"))
    cells = [c.strip() for c in header.strip("|").split("|")]
    assert cells[1:4] == ["post (WSL2 /mnt/c)", "this machine, real share", "simulated share"]
    assert header.rstrip(" |").endswith("simulation holds here")
    qdrant_row = next(ln for ln in text.splitlines() if ln.startswith("| Qdrant cold start |"))
    assert "| 1.0× |" in qdrant_row and qdrant_row.rstrip(" |").endswith("**does not hold**")
    assert "real Windows drive (`/mnt/c` — 9p drvfs `C:\\temp` (virtio, msize 262144))" in text
    # the places table: the real places first, the simulation last
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("| host | target | place"))
    places = [ln for ln in lines[start + 2 :] if ln.startswith("| ")]
    places = places[
        : next((i for i, ln in enumerate(places) if not ln.startswith("| `vm` |")), None)
    ]
    classes = [ln.split(" | ")[3] for ln in places]
    assert classes == ["native", "cross-os share", "simulated share"]


def test_holds_here_is_the_simulation_against_the_real_share():
    from analysis.report.fidelity import holds_here

    assert holds_here(10.0, 15.0) == "yes"
    assert holds_here(10.0, 25.0) == "direction only"
    assert holds_here(10.0, 0.9) == "no"  # the simulation says faster: the opposite direction
    assert holds_here(0.8, 0.7) == "yes"  # both faster than native, within 2x
    assert holds_here(None, 3.0) == "not measured"
    assert holds_here(float("nan"), 3.0) == "not measured"


def test_the_post_says_where_the_model_was_not_held(sample_raw, tmp_path):
    """What the layer counted (share_served): above a few percent of a kind's requests
    served later than the model's time, the post says so; below, it says nothing."""
    for exp in ("disk", "llm", "devloop"):  # only the Qdrant run's layer counted, here
        (other,) = (sample_raw / exp).iterdir()
        o = json.loads((other / "manifest.json").read_text())
        for facts in o["targets"].values():
            facts.pop("share_served", None)
        write_manifest(other, o)
    (run,) = (sample_raw / "qdrant").iterdir()
    m = json.loads((run / "manifest.json").read_text())

    def served(read_over: int) -> dict:
        kinds = {
            "meta": {"service_us": 510.0, "requests": 1000, "over_service": 10},
            "read": {"service_us": 163.0, "requests": 1000, "over_service": read_over},
        }
        return {"kinds": kinds, "unseen_us": {"meta": 90.0, "read": 70.0}, "gaps": 40,
                "oversleep_us": 20.0}  # fmt: skip

    # the stand-in has the keys the layer writes (it once had the old `probes`)
    from analysis.share.passthrough import Served, Unseen

    service_s = {"meta": 510e-6, "read": 163e-6, "write": 163e-6}
    layer = Served(service_s).report(Unseen(service_s, lambda: None))
    assert set(served(0)) == set(layer) and set(served(0)["kinds"]["read"]) <= set(
        layer["kinds"]["read"]
    )

    for over, said in ((120, True), (20, False)):
        m["targets"]["share"]["share_served"] = served(over)
        write_manifest(run, m)
        text = _build(sample_raw, tmp_path / str(over), lang="en")["post"].read_text()
        line = "The model was not held for 12% of read requests on this machine (Qdrant, of 1,000)"
        assert (line in text) is said
        assert text.count("Not held: our layer's own cost") == int(said)  # why: once
        assert "of metadata requests" not in text  # 1%: held


def test_the_post_says_how_the_cold_start_read_its_storage(sample_raw, tmp_path):
    """Page faults, read() calls and the layer's requests of the first measured cold start,
    and what the model's service times make of those requests, from the manifest alone."""
    (run,) = (sample_raw / "qdrant").iterdir()
    m = json.loads((run / "manifest.json").read_text())
    native, share = m["targets"]["native"], m["targets"]["share"]
    for c in native["cold_starts"] + share["cold_starts"]:  # as a run before it was counted
        c.pop("how_read", None)
        c.pop("share_requests", None)
    write_manifest(run, m)
    bare = _build(sample_raw, tmp_path / "bare", lang="en")["post"].read_text()
    assert "How the engine read its storage" not in bare  # not measured: no line, no zeros
    first = next(i for i, c in enumerate(share["cold_starts"]) if not c["warmup"])
    native["cold_starts"][first]["how_read"] = {"major_faults": 161, "read_calls": 231}
    share["cold_starts"][first]["how_read"] = {"major_faults": 99000, "read_calls": 231}
    share["cold_starts"][first]["share_requests"] = {
        "meta": {"requests": 2000, "bytes": 0, "over_service": 0},
        "read": {
            "requests": 100000,
            "bytes": 100000 * 4096,
            "mean_request_kib": 4.0,
            "over_service": 0,
        },
        "write": {"requests": 10, "bytes": 10240, "over_service": 0},
    }
    # the sample predates service times: give its model some, as a run records them now
    model = {"meta_service_us": 510.0, "read_service_us": 163.0, "write_service_us": 163.0}
    share["share_parameters"].update(model)
    write_manifest(run, m)
    text = _build(sample_raw, tmp_path / "how", lang="en")["post"].read_text()
    service = (100010 * 163.0 + 2000 * 510.0) / 1e6
    took = share["cold_starts"][first]["ready_s"]
    assert (
        "161 page faults and 231 `read()` calls natively; on the share 99,000 page faults, for "
        "which our layer got 100,000 read requests (4.0 KiB on average), 2,000 metadata and 10 "
        f"write requests. At the model's service times those requests take {service:.3f} s; "
        f"that start took {took:.3f} s."
    ) in text
