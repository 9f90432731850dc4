"""The dev loop's edit from Windows (WSL interop), tested here with stand-ins for `wslpath`
and `cmd.exe`: this machine is not WSL. They check our side of it: which placements are
edited from Windows, the command line (quoting, no cmd.exe metacharacters) and that a
failure is one clear error. The real interop runs only on a WSL machine."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from analysis.devloop import tools
from analysis.errors import ToolError

# cmd.exe's `echo TEXT>>"PATH"` as Windows does it: the line and CRLF appended
CMD = """#!/usr/bin/env python3
import re, sys
assert sys.argv[1:3] == ["/d", "/c"], sys.argv
m = re.fullmatch(r'echo (.*)>>"(.*)"', sys.argv[3])
if not m or "FAIL" in m.group(1):
    sys.exit("The system cannot find the path specified.")
with open(m.group(2).replace("C:\\\\", "/"), "a", newline="") as fh:
    fh.write(m.group(1) + "\\r\\n")
"""
# wslpath -w: a Linux path as Windows names it (here: / becomes C:\\)
WSLPATH = """#!/bin/sh
printf 'C:\\\\%s\\n' "${2#/}"
"""


@pytest.fixture
def interop(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("cmd.exe", CMD), ("wslpath", WSLPATH)):
        f = bin_dir / name
        f.write_text(text)
        f.chmod(f.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tools.hostinfo, "wsl_facts", lambda: {"is_wsl": True, "wsl_version": 2})
    return bin_dir


def test_the_command_quotes_the_path_and_drops_metacharacters():
    cmd = tools.windows_command(r"C:\my site\_posts\a.md", '\nedit "x" & del *|<>^%\n')
    assert cmd == ["cmd.exe", "/d", "/c", r'echo edit x  del *>>"C:\my site\_posts\a.md"']


def test_on_wsl_windows_edits_a_native_placement(interop, tmp_path):
    post = tmp_path / "my site" / "post.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: x\n---\n")
    how, write, note = tools.other_side(post.parent, fuse=False)
    assert how == "windows" and "cmd.exe" in note
    write(post, "\nwsl-lab-edit-events-other-1\n")
    assert post.read_bytes().endswith(b"wsl-lab-edit-events-other-1\r\n")


def test_a_simulated_share_is_edited_behind_it_even_on_wsl(interop, tmp_path):
    assert tools.other_side(tmp_path, fuse=True)[0] == "backing"


def test_without_interop_the_other_side_is_another_process(tmp_path, monkeypatch):
    monkeypatch.setattr(
        tools.hostinfo, "wsl_facts", lambda: {"is_wsl": False, "wsl_version": None}
    )
    assert tools.other_side(tmp_path, fuse=False)[0] == "same"


def test_a_failed_windows_edit_is_one_clear_error(interop, tmp_path):
    post = tmp_path / "post.md"
    post.write_text("")
    with pytest.raises(ToolError, match=r"cmd.exe could not edit C:\\.*post.md: The system"):
        tools.windows_append(post, "FAIL")
    assert Path(post).read_text() == ""
