"""A seeded Jekyll site shaped like the blog: its _config.yml settings and plugins, posts in
`_posts/<year>/`, front matter with redirect_from, code blocks, images under wp-content."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

CONFIG = """\
# the blog's settings (andrew0928/columns.chicken-house.net _config.yml), as wsl-lab needs them
title: wsl-lab dev loop
markdown: kramdown
kramdown:
  input: GFM
excerpt_separator: <!--more-->
permalink: /:year/:month/:day/:slug/
paginate: 10
plugins:
  - jekyll-paginate
  - jekyll-redirect-from
exclude: [.git, .wsl-lab-scratch]
"""
LAYOUT = """\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><main>{{ content }}</main></body></html>
"""
POST_LAYOUT = """\
---
layout: default
---
<article><h1>{{ page.title }}</h1>{{ content }}</article>
"""
INDEX = """\
---
layout: default
---
{% for post in paginator.posts %}<p><a href="{{ post.url }}">{{ post.title }}</a>
{{ post.excerpt }}</p>{% endfor %}
"""
WORDS = (
    "wsl docker volume qdrant ollama share native ext4 ntfs build watch change event "
    "polling rebuild latency kernel page cache mmap model vector index post blog"
).split()
FIRST_DAY = date(2016, 1, 1)


def png(width: int, height: int, rng: random.Random) -> bytes:
    """A small, valid, incompressible PNG (random RGB pixels): an image the build copies."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


def post_path(root: Path, i: int) -> Path:
    """Where post i lives: `_posts/<year>/<date>-<slug>.md`, as the blog keeps them."""
    day = FIRST_DAY + timedelta(days=3 * i)
    return root / "_posts" / str(day.year) / f"{day.isoformat()}-post-{i:04d}.md"


def page_path(site: Path, i: int) -> Path:
    """The built page of post i under `_site` (permalink /:year/:month/:day/:slug/)."""
    day = FIRST_DAY + timedelta(days=3 * i)
    return (
        site
        / f"{day.year}"
        / f"{day.month:02d}"
        / f"{day.day:02d}"
        / f"post-{i:04d}"
        / ("index.html")
    )


def _post(i: int, images: int, code_blocks: int, words: int, rng: random.Random) -> str:
    day = FIRST_DAY + timedelta(days=3 * i)
    stem = f"{day.isoformat()}-post-{i:04d}"
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    body = [text[: len(text) // 3], "", "<!--more-->", "", text]
    for k in range(code_blocks):
        body += ["", "```python", *(f"x{k}_{n} = {rng.randint(0, 9999)}" for n in range(8)), "```"]
    for k in range(images):
        body += [
            "",
            f"![](/wp-content/images/{stem}/img{k}.png)",
            f"> 圖 {k}: {rng.choice(WORDS)}",
        ]
    front = [
        "---",
        "layout: post",
        f'title: "Post {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}"',
        'categories: ["系列文章: 架構師觀點"]',
        f'tags: ["{rng.choice(WORDS)}", "{rng.choice(WORDS)}"]',
        "published: true",
        f'redirect_from: ["/post/{i}/"]',
        "---",
    ]
    return "\n".join(front + [""] + body) + "\n"


def generate(
    root: Path,
    posts: int,
    images_per_post: int = 1,
    code_blocks: int = 2,
    words: int = 400,
    seed: int = 42,
) -> dict[str, int]:
    """Write the site under root; returns how many files and bytes it holds."""
    rng = random.Random(seed)
    (root / "_layouts").mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(CONFIG)
    (root / "_layouts" / "default.html").write_text(LAYOUT)
    (root / "_layouts" / "post.html").write_text(POST_LAYOUT)
    (root / "index.html").write_text(INDEX)
    files, size = 4, len(CONFIG) + len(LAYOUT) + len(POST_LAYOUT) + len(INDEX)
    for i in range(posts):
        p = post_path(root, i)
        p.parent.mkdir(parents=True, exist_ok=True)
        text = _post(i, images_per_post, code_blocks, words, rng)
        p.write_text(text, encoding="utf-8")
        files, size = files + 1, size + len(text.encode())
        stem = p.stem
        img_dir = root / "wp-content" / "images" / stem
        for k in range(images_per_post):
            img_dir.mkdir(parents=True, exist_ok=True)
            data = png(96, 64, rng)
            (img_dir / f"img{k}.png").write_bytes(data)
            files, size = files + 1, size + len(data)
    return {"files": files, "bytes": size}
