"""Every port on 127.0.0.1; JupyterLab behind a token; no environment leaks into results."""

import json
from datetime import date

from analysis import hostinfo, paths
from analysis.llm.engines import LlamaCppEngine, bundled_gguf
from analysis.report import site

from ..conftest import report_into, run_cli

SECRET = "sk-wsl-lab-test-0123456789abcdef"


def test_llama_cpp_listens_on_loopback_only():
    engine = LlamaCppEngine(bundled_gguf(), threads=1, n_ctx=128)
    engine.load()
    try:
        assert engine.server.listening_address.startswith("http://127.0.0.1:")
    finally:
        engine.close()


def test_preview_server_binds_loopback(tmp_path):
    (tmp_path / "index.html").write_text("hi")
    with site.serve(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")


def test_make_lab_binds_loopback_and_keeps_the_token():
    lab = [ln for ln in (paths.ROOT / "Makefile").read_text().splitlines() if "jupyter lab" in ln]
    assert lab and "--ServerApp.ip=127.0.0.1" in lab[0]
    text = (paths.ROOT / "Makefile").read_text()
    assert "token=''" not in text and 'token=""' not in text and "disable_check_xsrf" not in text


def test_no_environment_in_manifests_or_the_post(tmp_path, cache_home, sample_raw, tiny):
    env = {
        "WSL_LAB_CACHE": str(cache_home),
        "OPENAI_API_KEY": SECRET,
        "QDRANT_API_KEY": SECRET,
        "WSL_DISTRO_NAME": "Ubuntu-24.04",
    }
    done = run_cli(
        "run", "disk", "--profile", "smoke", "--tools", "fio", "--root", str(sample_raw), env=env
    )
    assert done.returncode == 0, done.stderr
    for manifest in sample_raw.glob("*/*/manifest.json"):
        text = manifest.read_text()
        assert SECRET not in text
        m = json.loads(text)
        assert set(m["host"].get("env", {})) <= set(hostinfo.ENV_ALLOW_LIST)
    newest = max(sample_raw.glob("disk/*/manifest.json"), key=lambda p: p.stat().st_mtime)
    assert json.loads(newest.read_text())["host"]["env"] == {"WSL_DISTRO_NAME": "Ubuntu-24.04"}
    out = report_into(sample_raw, tmp_path, date(2026, 11, 28))
    post = out["post"].read_text()
    assert SECRET not in post and "OPENAI_API_KEY" not in post
