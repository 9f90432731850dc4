"""A minimal Jekyll site with the blog's settings: build the post for real, and screenshot it."""

from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

from ..errors import PreconditionError, ToolError

CONFIG = """\
# The blog's own settings (andrew0928/columns.chicken-house.net), enough to build one post.
title: wsl-lab preview
markdown: kramdown
kramdown:
  input: GFM
excerpt_separator: <!--more-->
permalink: /:year/:month/:day/:slug/
plugins:
  - jekyll-paginate
  - jekyll-redirect-from
exclude: [preview.png]
"""
DEFAULT_LAYOUT = """\
<!DOCTYPE html>
<html lang="{{ page.lang | default: 'zh-TW' }}"><head><meta charset="utf-8">
<title>{{ page.title }}</title>
<style>
body{font-family:'Noto Sans CJK TC','Noto Sans',sans-serif;max-width:860px;margin:2em auto;
  padding:0 1em;line-height:1.6;color:#222}
img{max-width:100%}
blockquote{color:#555;margin:0 0 1.5em;font-size:.9em}
table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2em .5em}
</style>
</head><body>{{ content }}</body></html>
"""
POST_LAYOUT = """\
---
layout: default
---
<article><h1>{{ page.title }}</h1><p>{{ page.date | date: "%Y-%m-%d" }}</p>{{ content }}</article>
"""
BROWSER = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def write_skeleton(site: Path) -> None:
    """Config and layouts beside the generated _posts/ and wp-content/."""
    (site / "_layouts").mkdir(parents=True, exist_ok=True)
    (site / "_config.yml").write_text(CONFIG)
    (site / "_layouts" / "default.html").write_text(DEFAULT_LAYOUT)
    (site / "_layouts" / "post.html").write_text(POST_LAYOUT)


def build(site: Path) -> tuple[Path, str]:
    """`jekyll build --unpublished` (the post is a draft, as the blog's are); returns its log."""
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        raise PreconditionError(
            "jekyll not found: apt-get install jekyll ruby-jekyll-redirect-from "
            "ruby-jekyll-paginate ruby-kramdown-parser-gfm (or make setup)"
        )
    dest = site / "_site"
    done = subprocess.run(
        [jekyll, "build", "--unpublished", "--source", str(site), "--destination", str(dest)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = done.stdout + done.stderr
    if done.returncode != 0:
        raise ToolError(f"jekyll build failed: {log.strip().splitlines()[-1:]}")
    return dest, log


def post_html(dest: Path) -> Path:
    pages = [p for p in dest.rglob("index.html") if p.parent != dest]
    if not pages:
        raise ToolError(f"jekyll built no post page under {dest}")
    return pages[0]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Requests are not news."""


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """The built site on 127.0.0.1 (absolute image paths need a server, not file://)."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def screenshot(dest: Path, out: Path, width: int = 1000) -> Path:
    """Headless Debian Chromium, driven by Playwright with executable_path, full page."""
    if not Path(BROWSER).exists():
        raise PreconditionError(f"{BROWSER} not found: apt-get install chromium (or make setup)")

    page_path = post_html(dest).relative_to(dest).parent.as_posix()
    with serve(dest) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=BROWSER, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{url}/{page_path}/", wait_until="networkidle")
            page.screenshot(path=str(out), full_page=True)
        finally:
            browser.close()
    return out
