"""JupyterLab on 127.0.0.1 with a token and the project kernel shows a notebook's output."""

import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from analysis import paths
from analysis.dockerhost import free_port
from analysis.report.site import BROWSER, CHROMIUM_ARGS

pytestmark = [pytest.mark.integration]


@pytest.mark.skipif(not shutil.os.path.exists(BROWSER), reason="chromium not installed")
def test_lab_opens_a_notebook_and_shows_its_output(tmp_path):
    from playwright.sync_api import sync_playwright

    port, token = free_port(), secrets.token_hex(16)
    lab = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={paths.NOTEBOOKS}",
            "--ServerApp.open_browser=False",
            *(["--allow-root"] if shutil.os.geteuid() == 0 else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={
            **shutil.os.environ,
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
            "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"),
        },
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with pytest.raises(urllib.error.HTTPError):  # no token, no entry
            urllib.request.urlopen(f"{base}/api/contents", timeout=5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/lab/tree/20-qdrant.ipynb?token={token}")
            # the describe() table of the committed sample run, rendered as HTML
            out = page.locator(".jp-OutputArea-output table").filter(has_text="complete")
            out.first.wait_for(timeout=90_000)
            assert "share" in out.first.inner_text() and "fuse" in out.first.inner_text()
            page.get_by_text("Python 3 (ipykernel)").first.wait_for(timeout=60_000)
            page.screenshot(path=str(tmp_path / "lab.png"))
            browser.close()
    finally:
        lab.terminate()
        lab.wait(timeout=30)
