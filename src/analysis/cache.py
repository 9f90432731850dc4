"""Making storage cold: drop the page cache when permitted, else evict the files one by one."""

from __future__ import annotations

import os
from pathlib import Path

DROP_CACHES = Path("/proc/sys/vm/drop_caches")


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
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # vanished or unreadable: nothing cached that we could drop
    try:
        os.fdatasync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError:
        pass  # some filesystems (FUSE) refuse fdatasync on read-only fds; eviction is advisory
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
