"""What kind of place a mount is, by its file system and options, never by its path.

`/mnt/c` can be an ordinary ext4 directory (automount off), a Windows drive can sit at `/c`
(`root = /` in wsl.conf), and `/mnt/wsl` is a tmpfs: only the mount table tells. Classes:

- `native`: Linux-backed (ext4, xfs, btrfs, tmpfs, overlay, WSL1's lxfs, ...);
- `cross-os share`: another OS's files across a VM or kernel boundary (WSL drives over 9p or
  virtiofs, WSL1 drvfs, Docker Desktop's host shares, VirtualBox/Parallels shared folders,
  9p or virtiofs from a VM host);
- `network share`: cifs/smb, nfs, sshfs;
- `simulated share`: wsl-lab's own layer and the bindfs mounts it makes (`fuse.wsl-lab`);
- `unknown`: any other file system, named.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from .mounts import Mount, covering

NATIVE, CROSS_OS, NETWORK, SIMULATED, UNKNOWN = (
    "native",
    "cross-os share",
    "network share",
    "simulated share",
    "unknown",
)
CLASSES = (NATIVE, CROSS_OS, NETWORK, SIMULATED, UNKNOWN)
SHARES = (CROSS_OS, NETWORK, SIMULATED)
SIMULATED_PREFIX = "wsl-lab:"  # our mounts' source: wsl-lab:<model>:<backing directory>

NATIVE_FS = frozenset(
    "ext2 ext3 ext4 xfs btrfs zfs f2fs jfs reiserfs bcachefs nilfs2 tmpfs ramfs overlay "
    "overlayfs aufs lxfs wslfs rootfs squashfs iso9660 udf erofs vfat msdos exfat ntfs ntfs3 "
    "hfsplus devtmpfs proc sysfs devpts cgroup cgroup2 securityfs debugfs tracefs mqueue "
    "hugetlbfs binfmt_misc pstore bpf configfs fusectl nsfs autofs efivarfs".split()
)
NETWORK_FS = {
    "cifs": "cifs",
    "smb3": "smb3",
    "smbfs": "cifs",
    "nfs": "nfs",
    "nfs4": "nfs4",
    "fuse.sshfs": "sshfs",
    "ceph": "ceph",
    "fuse.glusterfs": "glusterfs",
    "afs": "afs",
}
HOST_SHARE_FS = {  # a VM's or container engine's view of its host's files
    "fuse.grpcfuse": ("docker-desktop-host", "grpcfuse"),
    "grpcfuse": ("docker-desktop-host", "grpcfuse"),
    "fuse.osxfs": ("docker-desktop-host", "osxfs"),
    "osxfs": ("docker-desktop-host", "osxfs"),
    "fakeowner": ("docker-desktop-host", "virtiofs"),
    "vboxsf": ("virtualbox-shared-folder", None),
    "prl_fs": ("parallels-shared-folder", None),
    "vmhgfs": ("vmware-shared-folder", None),
    "fuse.vmhgfs-fuse": ("vmware-shared-folder", None),
}
_DRIVE = re.compile(r"^(?P<drive>[A-Za-z]):(?:\\|/)?(?P<rest>.*)$")
_VIRTIOFS_TAG = re.compile(r"^drvfs(?:a|(?P<drive>[A-Za-z])\d*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Classified:
    """What a place is: its class and kind, and for a Windows drive its path and transport."""

    cls: str
    kind: str
    fstype: str | None = None
    windows_path: str | None = None  # the path as Windows names it (drives only)
    transport: str | None = None  # 9p's trans=fd|virtio, or the host share's mechanism
    msize: int | None = None  # 9p's largest message, bytes
    share_model: str | None = None  # simulated shares: the model it behaves as
    note: str = ""

    @property
    def is_share(self) -> bool:
        return self.cls in SHARES

    def with_model(self, model: str) -> Classified:
        """This simulated share, known to behave as model."""
        return replace(self, kind=f"wsl-lab:{model}", share_model=model)

    def describe(self) -> str:
        """The place in a few words, as the post names it: "9p drvfs `C:\\` (virtio, msize
        262144)", "simulated share `fuse.wsl-lab`, model wsl2-9p", "ext4 (native)"."""
        if self.cls == SIMULATED:
            model = f", model {self.share_model}" if self.share_model else ""
            return f"simulated share `{self.fstype}`{model}"
        if self.kind.startswith("wsl") and self.windows_path:
            how = ", ".join(
                filter(None, [self.transport, f"msize {self.msize}" if self.msize else ""])
            )
            fs = "9p drvfs" if self.fstype == "9p" else f"{self.fstype} drvfs"
            return f"{fs} `{self.windows_path}`" + (f" ({how})" if how else "")
        if self.fstype is None:
            return f"{self.cls} (no listed mount covers it)"
        if self.kind == self.fstype:
            return f"{self.fstype} ({self.cls})"
        return f"{self.fstype} ({self.cls}, {self.kind})"


def windows_path(drive: str, parts: list[str] | tuple[str, ...]) -> str:
    """`C:\\Users\\me` from a drive letter and the names below it (`C:\\` for none)."""
    names = [p for p in parts if p and p not in ("/", "\\")]
    return "\\".join([f"{drive.upper()}:", *names]) + ("" if names else "\\")


def _windows_path(base: str | None, mount: Mount, path: str | None) -> str | None:
    """`C:\\Users\\me` for /mnt/c/Users/me on a drive mounted from `C:\\` (bind roots kept)."""
    m = _DRIVE.match(base or "")
    if not m:
        return None
    parts = [*re.split(r"[\\/]", m["rest"]), *PurePosixPath(mount.root or "/").parts]
    if path is not None:  # the part of path below the mount point (covering() matched it)
        below = PurePosixPath(os.path.normpath(path)).parts
        parts += below[len(PurePosixPath(os.path.normpath(mount.mount_point)).parts) :]
    return windows_path(m["drive"], parts)


def _nine_p(mount: Mount, path: str | None) -> Classified:
    aname = mount.option("aname") or ""
    trans = mount.option("trans")
    msize = mount.option("msize")
    size = int(msize) if msize and msize.isdigit() else None
    if aname.startswith("drvfs"):
        where = _windows_path(mount.option("path") or mount.source, mount, path)
        return Classified(CROSS_OS, "wsl2-9p-drvfs", "9p", where, trans, size)
    if aname.startswith("drivers"):
        note = "Windows' driver store, shared into WSL2"
        return Classified(CROSS_OS, "wsl2-9p-drivers", "9p", None, trans, size, note=note)
    if trans in ("tcp", "rdma"):
        return Classified(NETWORK, f"9p-{trans}", "9p", None, trans, size)
    return Classified(CROSS_OS, "9p-vm-host", "9p", None, trans, size)


def _virtiofs(mount: Mount, path: str | None) -> Classified:
    tag = _VIRTIOFS_TAG.match(mount.source)
    if tag:  # WSL2 with virtiofs=true: the tag is drvfs<letter><n> (or the shared drvfsa)
        where = _windows_path(f"{tag['drive']}:\\", mount, path) if tag["drive"] else None
        return Classified(CROSS_OS, "wsl2-virtiofs-drvfs", "virtiofs", where, "virtiofs")
    return Classified(CROSS_OS, "virtiofs-vm-host", "virtiofs", None, "virtiofs")


def _simulated(mount: Mount) -> Classified:
    place = Classified(SIMULATED, "wsl-lab", mount.fstype)
    if mount.source.startswith(SIMULATED_PREFIX):
        model = mount.source[len(SIMULATED_PREFIX) :].split(":", 1)[0]
        return place.with_model(model) if model else place
    return place


def classify(mount: Mount | None, path: str | None = None) -> Classified:
    """The class of the place that holds path on this mount (None: no listed mount holds it)."""
    if mount is None:
        return Classified(NATIVE, "not-in-table", note="no listed mount covers it")
    fs = mount.fstype.lower()
    if fs == "fuse.wsl-lab" or mount.source.startswith(SIMULATED_PREFIX):
        return _simulated(mount)
    if fs == "9p":
        return _nine_p(mount, path)
    if fs == "virtiofs":
        return _virtiofs(mount, path)
    if fs == "drvfs":  # WSL1: NT's file system through the lxss driver
        where = _windows_path(mount.source, mount, path)
        return Classified(CROSS_OS, "wsl1-drvfs", "drvfs", where, "lxss")
    if fs in HOST_SHARE_FS:
        kind, transport = HOST_SHARE_FS[fs]
        return Classified(CROSS_OS, kind, mount.fstype, None, transport)
    if fs in NETWORK_FS:
        return Classified(NETWORK, NETWORK_FS[fs], mount.fstype)
    if fs in NATIVE_FS:
        return Classified(NATIVE, fs, mount.fstype)
    return Classified(UNKNOWN, fs, mount.fstype, note=f"file system {mount.fstype!r} not known")


def classify_path(mounts: list[Mount], path: str) -> tuple[Mount | None, Classified]:
    """The mount that holds path in this table, and what kind of place it is."""
    mount = covering(mounts, path)
    return mount, classify(mount, path)
