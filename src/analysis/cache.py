"""Making storage cold, and checking it: drop or evict the page cache, then measure how much
of the files is still resident (mincore), so that "cold" is a measurement, not a hope."""

from __future__ import annotations

import contextlib
import ctypes
import os
from pathlib import Path
from typing import Any

DROP_CACHES = Path("/proc/sys/vm/drop_caches")
WARM_PCT = 5.0  # more of the files than this still in the page cache: the start was warm
PAGE = os.sysconf("SC_PAGE_SIZE")
_PROT_READ, _MAP_SHARED = 1, 1


def drop_page_cache(paths: list[Path]) -> str:
    """Returns how: 'drop_caches' (whole page cache) or 'fadvise' (each file under paths)."""
    os.sync()
    try:
        DROP_CACHES.write_text("3\n")
        return "drop_caches"
    except OSError:
        pass
    for base in paths:
        for root, _dirs, files in os.walk(base):
            for name in files:
                evict(Path(root) / name)
    return "fadvise"


def evict(path: Path) -> None:
    """Write the file's dirty pages back, then ask the kernel to drop its cached pages."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # vanished or unreadable: nothing cached that we could drop
    try:
        # FUSE refuses fdatasync on a read-only descriptor; that must not skip the eviction
        with contextlib.suppress(OSError):
            os.fdatasync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def footprint(path: Path) -> dict[str, int]:
    """Directories, files and bytes under path, as the post lists Qdrant's storage."""
    dirs = files = size = allocated = 0
    for _root, dnames, fnames in os.walk(path):
        dirs += len(dnames)
        for f in fnames:
            files += 1
            try:
                st = os.lstat(os.path.join(_root, f))
            except OSError:
                continue
            size += st.st_size
            allocated += st.st_blocks * 512  # preallocated, sparse WAL segments differ
    return {"dirs": dirs, "files": files, "bytes": size, "allocated_bytes": allocated}


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [
        ctypes.c_void_p,
        ctypes.c_size_t,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_long,
    ]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    return libc


def resident_pages(path: Path, libc: ctypes.CDLL | None = None) -> tuple[int, int]:
    """(pages in the page cache, pages in all) of one file; mapping it reads nothing."""
    libc = libc or _libc()
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return 0, 0
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            return 0, 0
        addr = libc.mmap(None, size, _PROT_READ, _MAP_SHARED, fd, 0)
        if addr in (None, ctypes.c_void_p(-1).value):
            return 0, 0
        try:
            pages = (size + PAGE - 1) // PAGE
            vec = ctypes.create_string_buffer(pages)
            if libc.mincore(addr, size, vec) != 0:
                return 0, 0
            return sum(b & 1 for b in vec.raw), pages
        finally:
            libc.munmap(addr, size)
    finally:
        os.close(fd)


def residency(paths: list[Path]) -> float | None:
    """Percent of the files' pages still in the page cache (None: no file to measure)."""
    libc = _libc()
    resident = total = 0
    for base in paths:
        files = (
            [base]
            if base.is_file()
            else [Path(root) / f for root, _d, names in os.walk(base) for f in names]
        )
        for f in files:
            r, n = resident_pages(f, libc)
            resident, total = resident + r, total + n
    return round(100.0 * resident / total, 2) if total else None


def make_cold(paths: list[Path], backing: list[Path] | None = None) -> dict[str, Any]:
    """Drop or evict the cache of paths (and of the files behind a share), then measure it.

    `cold` is True only when what is left resident is at most WARM_PCT on both sides.
    """
    backing = backing or []
    how = drop_page_cache([*paths, *backing])
    here, behind = residency(paths), residency(backing) if backing else None
    measured = [p for p in (here, behind) if p is not None]
    if not paths and not backing:
        # files we cannot see (a server's): only dropping the whole page cache makes them cold
        cold = how == "drop_caches"
    else:
        cold = bool(measured) and max(measured) <= WARM_PCT
    return {
        "cache_drop": how,
        "resident_pct": here,
        "backing_resident_pct": behind,
        "cold": cold,
    }
