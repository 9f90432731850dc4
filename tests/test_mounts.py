"""Mount tables in three formats, held against util-linux's findmnt; fuzzed text."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import ParseError
from analysis.places.mounts import covering, detect_format, parse_table, read_table

from .conftest import FIXTURES

TABLES = sorted((FIXTURES / "mounts").iterdir())


def table(name: str):
    return parse_table((FIXTURES / "mounts" / name).read_text(), name)


@pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])
def test_every_fixture_is_read_in_its_format(path):
    fmt = {".mountinfo": "mountinfo", ".mounts": "proc-mounts", ".mount": "mount"}[path.suffix]
    text = path.read_text()
    assert detect_format(text) == fmt
    mounts = parse_table(text, path.name)
    assert len(mounts) == len([ln for ln in text.splitlines() if ln.strip()])


@pytest.mark.skipif(not shutil.which("findmnt"), reason="findmnt (util-linux) not installed")
@pytest.mark.parametrize("path", [p for p in TABLES if p.suffix != ".mount"], ids=lambda p: p.name)
def test_our_reading_agrees_with_findmnt(path):
    done = subprocess.run(
        ["findmnt", "--tab-file", str(path), "-l", "-J", "-o", "TARGET,FSTYPE,SOURCE,FSROOT"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    theirs = json.loads(done.stdout)["filesystems"]
    ours = parse_table(path.read_text(), path.name)
    assert len(ours) == len(theirs)
    for m, f in zip(ours, theirs, strict=True):
        source = f["source"]
        if f.get("fsroot") and f["fsroot"] != "/":  # findmnt writes a bind's root as SRC[/dir]
            source = source.removesuffix(f"[{f['fsroot']}]")
        assert (m.mount_point, m.fstype, m.source) == (f["target"], f["fstype"], source)
        if path.suffix == ".mountinfo":
            assert m.root == f["fsroot"]


def test_escapes_and_options_with_semicolons():
    mounts = table("wsl2-virtio.mountinfo")
    c = covering(mounts, "/mnt/c/Users")
    assert c.source == "C:\\" and c.option("path") == "C:\\" and c.option("aname") == "drvfs"
    assert c.option("msize") == "262144" and c.option("uid") == "1000"
    assert covering(mounts, "/home/me/My Projects/a").mount_point == "/home/me/My Projects"
    assert covering(mounts, "/tmp/odd/x").root == "/C:\\Windows\\Temp"


def test_unescaped_spaces_in_mount_output():
    m = covering(table("wsl2-fd.mount"), "/home/me/My Projects/a b")
    assert m.mount_point == "/home/me/My Projects" and m.fstype == "ext4"


def test_whole_components_and_the_last_of_two():
    mounts = table("twice.mounts")
    assert covering(mounts, "/mnt/c/x").fstype == "9p"  # listed twice: the later mount
    assert covering(mounts, "/mnt/cdrom").mount_point == "/"  # /mnt/c does not hold /mnt/cdrom
    assert covering(mounts, "/mnt/c").fstype == "9p"


def test_a_grepped_table_covers_nothing_else():
    assert covering(table("grepped.mounts"), "/home/me") is None


def test_the_live_table_has_the_root():
    assert covering(read_table(), "/").mount_point == "/"


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "not a mount table"),
        ("hello world\n", "not a mount table"),
        ("/dev/sda / ext4 rw 0 0\nnot a line\n", ":2: not a proc-mounts line"),
        ("a on /x type ext4 (rw)\n/dev/sda / ext4 rw 0 0\n", ":2: not a mount line"),
        ("36 35 98:0 / /mnt rw - ext4 /dev/root rw\n36 35 98:0\n", ":2: not a mountinfo line"),
        ("/dev/sda relative ext4 rw 0 0\n", ":1: not a proc-mounts line"),
    ],
)
def test_bad_tables_are_one_clear_error(text, says):
    with pytest.raises(ParseError, match=says):
        parse_table(text, "t")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_fuzzed_text_is_a_table_or_a_parse_error(text):
    try:
        mounts = parse_table(text, "fuzz")
    except ParseError as exc:
        assert str(exc).startswith("fuzz")
        return
    for m in mounts:
        assert m.mount_point.startswith("/")
        covering(mounts, m.mount_point)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from((FIXTURES / "mounts" / "wsl2-virtio.mounts").read_text().splitlines()),
        min_size=1, max_size=8,
    ),
    st.integers(min_value=0, max_value=120),
    st.text(max_size=5),
)  # fmt: skip
def test_fuzzed_real_lines_cut_or_mangled(lines, cut, junk):
    text = "\n".join(lines)
    text = text[:cut] + junk + text[cut:]
    try:
        parse_table(text, "fuzz")
    except ParseError as exc:
        assert str(exc).startswith("fuzz")
