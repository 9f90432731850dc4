"""Mount tables: which mount holds a path, read from /proc/self/mountinfo or a saved table.

Three formats are read, detected from the text: `/proc/self/mountinfo` (the default),
`/proc/mounts` (also `/etc/mtab`) and the output of `mount`. The first two escape space, tab,
newline and backslash as octal (`\\040`, `\\134`); `mount` prints them as they are, so a mount
point there may hold spaces. A mount point listed twice is the later mount (it covers the
earlier one). util-linux's `findmnt --tab-file` reads the first two formats too; the tests hold
our reading against it (`mount` output it cannot read).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ParseError

LIVE_TABLE = Path("/proc/self/mountinfo")
FORMATS = ("mountinfo", "proc-mounts", "mount")
_MOUNTINFO = re.compile(r"^\d+ \d+ \d+:\d+ ")
_MOUNT_LINE = re.compile(r"^(?P<source>.*?) on (?P<mp>/.*) type (?P<fstype>\S+) \((?P<opts>.*)\)$")
_OCTAL = re.compile(r"\\([0-3][0-7]{2})")


@dataclass(frozen=True)
class Mount:
    """One line of a mount table."""

    mount_point: str
    fstype: str
    source: str
    options: str  # every option, comma-joined (mountinfo: the mount's, then the superblock's)
    root: str = "/"  # mountinfo's root: which directory of the file system is mounted here
    line: int = 0  # where in the table (1-based)

    def option(self, key: str) -> str | None:
        """An option's value; also inside 9p's `aname=drvfs;path=C:\\;uid=1000` list."""
        for opt in self.options.split(","):
            for part in opt.split(";"):
                name, sep, value = part.partition("=")
                if name == key:
                    return value if sep else ""
        return None


def unescape(field: str) -> str:
    """The kernel's octal escapes (`\\040` space, `\\011` tab, `\\012` newline, `\\134` \\)."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


def detect_format(text: str) -> str | None:
    """Which of FORMATS the table is written in, from its first non-blank line."""
    for line in text.splitlines():
        if not line.strip():
            continue
        if _MOUNTINFO.match(line) and " - " in line:
            return "mountinfo"
        fields = line.split()
        if len(fields) == 6 and fields[4].isdigit() and fields[5].isdigit():
            return "proc-mounts"
        if _MOUNT_LINE.match(line.rstrip()):
            return "mount"
        return None
    return None


def _mountinfo(line: str, n: int) -> Mount | None:
    left, sep, right = line.partition(" - ")
    lf, rf = left.split(), right.split()
    if not sep or len(lf) < 6 or len(rf) < 2:
        return None
    extra = rf[2] if len(rf) > 2 else ""
    return Mount(
        mount_point=unescape(lf[4]),
        fstype=rf[0],
        source=unescape(rf[1]),
        options=",".join(filter(None, [lf[5], unescape(extra)])),
        root=unescape(lf[3]),
        line=n,
    )


def _proc_mounts(line: str, n: int) -> Mount | None:
    f = line.split()
    if len(f) != 6:
        return None
    return Mount(unescape(f[1]), f[2], unescape(f[0]), unescape(f[3]), line=n)


def _mount_output(line: str, n: int) -> Mount | None:
    m = _MOUNT_LINE.match(line.rstrip())
    if not m:
        return None
    return Mount(m["mp"], m["fstype"], m["source"], m["opts"], line=n)


_PARSERS = {"mountinfo": _mountinfo, "proc-mounts": _proc_mounts, "mount": _mount_output}


def parse_table(text: str, name: str = "mount table") -> list[Mount]:
    """Every line of a table in one of FORMATS; a line that is not one is a ParseError."""
    fmt = detect_format(text)
    if fmt is None:
        raise ParseError(
            name,
            None,
            "not a mount table: give /proc/self/mountinfo, /proc/mounts or the output of "
            "`mount` (as saved text)",
        )
    mounts = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        mount = _PARSERS[fmt](line, n)
        if mount is None or not mount.mount_point.startswith("/"):
            shown = line if len(line) <= 80 else line[:77] + "..."
            raise ParseError(name, n, f"not a {fmt} line like the first one: {shown!r}")
        mounts.append(mount)
    return mounts


def read_table(path: Path | None = None) -> list[Mount]:
    """This process's mounts, or a saved table (any of FORMATS)."""
    source = path or LIVE_TABLE
    try:
        text = source.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise ParseError(str(source), None, f"cannot read: {exc.strerror}") from None
    return parse_table(text, str(source))


def _components(path: str) -> tuple[str, ...]:
    return PurePosixPath(os.path.normpath(path)).parts


def covering(mounts: list[Mount], path: str) -> Mount | None:
    """The mount that holds path: the longest mount point on whole path components (`/mnt/c`
    holds `/mnt/c/x`, never `/mnt/cdrom`); of two at the same point, the later one."""
    parts = _components(path)
    best: Mount | None = None
    for m in mounts:
        mp = _components(m.mount_point)
        if parts[: len(mp)] == mp and (
            best is None or len(mp) >= len(_components(best.mount_point))
        ):
            best = m
    return best


def local_path(path: Path) -> str:
    """An existing local path as the mount table names it: absolute, symlinks resolved."""
    return os.path.realpath(os.path.expanduser(path))


def mount_of(path: Path, mounts: list[Mount] | None = None) -> Mount | None:
    """The mount that holds a local path (symlinks resolved), from the live table."""
    return covering(read_table() if mounts is None else mounts, local_path(path))


def is_mount_point(path: Path) -> bool:
    real = local_path(path)
    return any(os.path.normpath(m.mount_point) == real for m in read_table())
