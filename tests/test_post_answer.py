"""The post's first screen is the answer, and every sentence of it follows the run's facts."""

import json
import shutil

from .conftest import build_post, write_manifest


def _post(raw, tmp_path, lang="zh-TW"):
    return build_post(raw, tmp_path, lang)


def _first_screen(text: str) -> str:
    return text.split("---\n", 2)[2].split("<!--more-->")[0]


def _edit(raw, experiment, change):
    (run,) = (raw / experiment).iterdir()
    m = json.loads((run / "manifest.json").read_text())
    change(m)
    write_manifest(run, m)


def test_the_first_screen_answers_where_with_measured_costs_and_what_the_run_was(sample_build):
    first = _first_screen(sample_build().text)
    for place in ("原始碼與建置目錄", "Docker volume", "模型檔"):
        assert place in first, place
    assert first.count("倍") >= 5  # a measured cost for each
    assert "Qdrant 冷啟動慢" in first and "冷載入慢" in first and "git status 慢" in first
    assert "**模擬的**跨 OS 共享" in first and "`wsl2-9p`" in first  # simulated, and its model
    assert "profile `default`" in first and "10,000 筆 × 1536 維" in first  # profile, sizes
    assert "SmolLM2-135M" in first and "qdrant-edge-py" in first  # engines
    # a simulated figure carries its fidelity verdict against the post's real one
    assert "Qdrant 冷啟動的倍數來自模擬" in first and "19.8–25.6 倍" in first


def test_sentences_follow_the_facts(sample_raw, tmp_path, sample_build):
    before = sample_build().text
    assert "每個位置 3 次冷啟動（之前先暖身 1 次，不計入）" in before
    assert "重跑文中的四個實驗（磁碟、Qdrant、LLM、開發迴圈）" in before

    def fewer_cold_starts(m):
        m["parameters"].update(reps=2, warmup=0)

    _edit(sample_raw, "qdrant", fewer_cold_starts)
    shutil.rmtree(sample_raw / "devloop")
    after = _post(sample_raw, tmp_path / "b")
    assert "每個位置 2 次冷啟動，沒有暖身" in after
    assert "每個位置 3 次冷啟動" not in after
    assert "重跑文中的三個實驗（磁碟、Qdrant、LLM）" in after
    assert "三個實驗" in after.split("\n---\n")[0]  # the title counts them too
    assert "開發迴圈：" not in _first_screen(after)


def test_a_real_share_is_named_as_such_and_carries_no_simulation_verdict(sample_raw, tmp_path):
    def real_drive(m):
        share = m["targets"]["share"]
        share.update(fuse=False, mount_point="/mnt/c", fstype="9p", mount_source="C:\\")
        share.update(mount_options="rw,aname=drvfs;path=C:\\;trans=virtio", share_model=None)
        share["class"] = "cross-os share"

    for exp in ("disk", "qdrant", "llm", "devloop"):
        _edit(sample_raw, exp, real_drive)
    first = _first_screen(_post(sample_raw, tmp_path))
    assert "真實的 Windows 磁碟（`/mnt/c`）" in first
    assert "模擬" not in first


def test_english_first_screen(sample_build):
    first = _first_screen(sample_build("en").text)
    assert "**The answer first**" in first and "a **simulated** cross-OS share" in first
    assert "Model files" in first and "× slower" in first


def test_a_headline_the_profile_does_not_measure_well_has_no_number(
    sample_raw, tmp_path, sample_build
):
    before = _first_screen(sample_build().text)
    assert "建立檔案慢" in before

    def unconverged(m):
        m["parameters"]["unconverged"] = ["file_creation", "published_read"]

    _edit(sample_raw, "disk", unconverged)
    text = _post(sample_raw, tmp_path / "b")
    first = _first_screen(text)
    assert "建立檔案慢" not in first and "建立檔案：這個大小量不準" in first
    row = next(
        ln for ln in text.splitlines() if ln.startswith("| 正式版的 fio 測試") and "讀取 |" in ln
    )
    assert "這個 profile 沒有量準" in row and "9.1×" not in row
