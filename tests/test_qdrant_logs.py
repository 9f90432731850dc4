import json

import pytest

from analysis import paths
from analysis.errors import ParseError
from analysis.qdrant.logs import read_startup, startup_summary

from .conftest import cli

SHARE = paths.REFERENCE / "qdrant-startup-mnt-c.log"
NATIVE = paths.REFERENCE / "qdrant-startup-native.log"


@pytest.mark.parametrize("log,total", [(SHARE, 67.563), (NATIVE, 3.417)])
def test_post_logs_via_cli(log, total):
    done = cli("qdrant-startup", str(log), "--json")
    assert done.returncode == 0, done.stderr
    s = json.loads(done.stdout)
    assert round(s["total_s"], 3) == total and s["ready"] is True
    assert len(s["collections"]) == 6
    plain = cli("qdrant-startup", str(log))
    assert f"{total:.3f} s" in plain.stdout


def test_collection_times_and_order():
    s = read_startup(SHARE)
    names = [c["name"] for c in s["collections"]]
    assert names[:3] == ["b2e-knowledge", "erp-shop-production", "erp-shop-qa"]
    qa = s["collections"][2]
    assert qa["load_s"] == pytest.approx(32.377625)  # 15:17:46.320745 -> 15:18:18.698370


def test_truncated_log_is_not_ready_and_falls_back_to_next_loading():
    lines = SHARE.read_text().splitlines()
    cut = [ln for ln in lines[:8] if "Recovered collection erp-shop-production" not in ln]
    s = startup_summary("\n".join(cut))
    assert s["ready"] is False and s["total_s"] is None
    prod = s["collections"][1]
    assert prod["recovered"] is False
    assert prod["load_s"] == pytest.approx(46.320745 - 34.601310)  # up to erp-shop-qa's Loading
    assert s["collections"][-1]["load_s"] is None  # last one: neither Recovered nor a next


def test_plain_ansi_and_json_formats():
    plain = NATIVE.read_text().replace("qdrant-1  | ", "")
    ansi = "\n".join(
        f"\x1b[2m{ln[:27]}\x1b[0m \x1b[32m INFO\x1b[0m{ln[32:]}" for ln in plain.splitlines()
    )
    js = "\n".join(
        json.dumps(
            {
                "timestamp": ln[:27],
                "level": "INFO",
                "fields": {"message": ln.split(": ", 1)[1]},
                "target": "x",
            }
        )
        for ln in plain.splitlines()
    )
    for text in (plain, ansi, js):
        assert round(startup_summary(text)["total_s"], 3) == 3.417


def test_not_a_log_is_one_clear_line(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("hello\nworld\n")
    with pytest.raises(ParseError, match="no Qdrant log lines"):
        read_startup(f)
    done = cli("qdrant-startup", str(f))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
