"""Jekyll builds the post for real; headless Chromium shows it."""

import re
import shutil
from datetime import date

import pytest

from analysis.pipeline import build_report
from analysis.report import site

pytestmark = [pytest.mark.integration]
needs_jekyll = pytest.mark.skipif(shutil.which("jekyll") is None, reason="jekyll not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample's post, built and then built by Jekyll once for this module's tests."""
    from analysis import paths

    tmp_path = tmp_path_factory.mktemp("site")
    shutil.copytree(paths.SAMPLE / "raw", tmp_path / "raw")
    out = build_report(
        tmp_path / "raw",
        day=date(2026, 11, 28),
        say=lambda s: None,
        reports=tmp_path / "reports",
        processed=tmp_path / "processed",
    )
    root = tmp_path / "reports" / "site"
    dest, log = site.build(root)
    return out, root, dest, log


@needs_jekyll
def test_jekyll_builds_the_post_with_every_figure(built):
    out, root, dest, log = built
    assert "warn" not in log.lower() and "error" not in log.lower(), log
    html = site.post_html(dest)
    assert html.relative_to(dest).as_posix() == "2026/11/28/wsl-lab-where-files-live/index.html"
    page = html.read_text()
    srcs = re.findall(r'<img src="([^"]+)"', page)
    md_images = re.findall(r"!\[\]\(([^)]+)\)", out["post"].read_text())
    assert srcs == md_images
    made = {
        f"/wp-content/images/2026-11-28-wsl-lab-where-files-live/{p.name}"
        for p in out["figures"].values()
    }
    # every figure of every experiment's report is made; the post shows each but those it
    # leaves out by design (the sample's disk run did not run Bonnie++: no chart of the
    # post's Bonnie++ bars alone), and leads with the answer figure, its logo
    from analysis.disk.figures import BONNIE_ONLY
    from analysis.experiments import experiments

    expected = {
        name for e, dirs in out["runs"].items() for name in experiments()[e].report(dirs)[1]
    }
    assert {p.stem for p in out["figures"].values()} == expected
    base = "/wp-content/images/2026-11-28-wsl-lab-where-files-live"
    assert srcs[0] == f"{base}/answer.png"
    assert made - set(srcs) == {f"{base}/{c.name}.png" for c in BONNIE_ONLY}
    assert set(srcs) - made == {f"{base}/answer.png"} and len(srcs) >= 12
    for src in srcs:
        assert (dest / src.lstrip("/")).is_file(), src
    assert "<h1" in page and "<blockquote>" in page


@needs_jekyll
@pytest.mark.skipif(not shutil.os.path.exists(site.BROWSER), reason="chromium not installed")
def test_screenshot_is_not_blank(built, tmp_path):
    from PIL import Image, ImageStat

    _, _, dest, _ = built
    shot = site.screenshot(dest, tmp_path / "shot.png")
    img = Image.open(shot).convert("L")
    assert img.height > 2000  # the whole post, figures included
    stat = ImageStat.Stat(img)
    assert stat.stddev[0] > 20  # text and figures, not an empty page
    dark = img.point(lambda p: 255 if p < 128 else 0).histogram()[255]
    assert 0.02 < dark / (img.width * img.height) < 0.6
