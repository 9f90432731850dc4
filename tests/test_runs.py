import json

import pytest

from analysis import runs


def test_same_second_runs_get_distinct_directories(tmp_path):
    a = runs.create_run("disk", {"x": 1}, tmp_path)
    b = runs.create_run("disk", {"x": 2}, tmp_path)
    assert a.path != b.path and a.path.parent == b.path.parent
    assert json.loads((b.path / "manifest.json").read_text())["parameters"] == {"x": 2}


def test_manifest_has_the_facts(tmp_path):
    r = runs.create_run("disk", {"reps": 1}, tmp_path, tools={"fio": "fio-3.33"})
    m = runs.load_manifest(r.path)
    assert m["status"] == "running" and m["started_utc"].endswith("+00:00")
    for key in ("git", "host", "tools", "parameters", "targets"):
        assert key in m
    assert {"cpu_model", "cpu_count", "memory_bytes", "kernel", "is_wsl"} <= set(m["host"])


def test_complete_failed_and_interrupted(tmp_path):
    r = runs.create_run("disk", {}, tmp_path)
    with runs.recording(r):
        r.file("t", "out.txt").write_text("data")
    assert runs.load_manifest(r.path)["status"] == "complete"
    assert runs.verify_run(r.path) == []

    r2 = runs.create_run("disk", {}, tmp_path)
    with pytest.raises(RuntimeError), runs.recording(r2):
        raise RuntimeError("boom")
    m = runs.load_manifest(r2.path)
    assert m["status"] == "failed" and "boom" in m["error"] and m["ended_utc"]

    r3 = runs.create_run("disk", {}, tmp_path)
    with pytest.raises(KeyboardInterrupt), runs.recording(r3):
        raise KeyboardInterrupt
    assert runs.load_manifest(r3.path)["status"] == "interrupted"


def test_every_target_failed_means_failed(tmp_path):
    r = runs.create_run("disk", {}, tmp_path)
    with runs.recording(r):
        r.set_target("a", status="failed", error="x")
    assert runs.load_manifest(r.path)["status"] == "failed"


def test_verify_detects_changes(tmp_path):
    r = runs.create_run("disk", {}, tmp_path)
    with runs.recording(r):
        r.file("a.txt").write_text("1")
    (r.path / "a.txt").write_text("2")
    (r.path / "b.txt").write_text("new")
    problems = runs.verify_run(r.path)
    assert any("a.txt: modified" in p for p in problems)
    assert any("b.txt: added" in p for p in problems)


def test_list_and_select(tmp_path, monkeypatch):
    r = runs.create_run("disk", {"profile": "smoke"}, tmp_path)
    with runs.recording(r):
        pass
    listed = runs.list_runs(tmp_path)
    assert [m["run_id"] for m in listed] == [r.run_id]
    assert runs.select_runs("disk", None, str(tmp_path)) == [r.path]
