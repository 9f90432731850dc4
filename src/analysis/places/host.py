"""This machine as the places are decided by: its kernel, mount table, `cmd.exe`, `wslpath` and
`/etc/wsl.conf`, or files and programs standing in for them (`wsl-lab targets --kernel …`);
whether it is WSL with a Windows drive, and why."""

from __future__ import annotations

import configparser
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParameterError
from .classify import CROSS_OS, Classified, classify, classify_path
from .mounts import Mount, local_path, read_table

DRIVE_KINDS = ("wsl2-9p-drvfs", "wsl1-drvfs", "wsl2-virtiofs-drvfs")
WSL_CONF = Path("/etc/wsl.conf")


@dataclass(frozen=True)
class Drive:
    """A Windows drive in the mount table."""

    mount: Mount
    place: Classified

    @property
    def letter(self) -> str:
        return (self.place.windows_path or "?")[:1].upper()


@dataclass(frozen=True)
class Host:
    """What the default places are decided by; stand-ins replace any part of it."""

    kernel: str  # the kernel release and /proc/version
    mounts: list[Mount]
    table: str  # where the mount table came from
    cmd_exe: str | None  # cmd.exe, as interop finds it on PATH
    wslpath: str | None
    wsl_conf: dict[str, dict[str, str]] = field(default_factory=dict)
    wsl_conf_name: str = str(WSL_CONF)
    live: bool = True  # the table is this machine's own (paths are resolved before lookup)

    @classmethod
    def read(
        cls,
        kernel: Path | None = None,
        mount_table: Path | None = None,
        cmd_exe: str | None = None,
        wslpath: str | None = None,
        wsl_conf: Path | None = None,
    ) -> Host:
        """This machine, with any of its parts replaced by a file or program given."""
        for option, given in (("--kernel", kernel), ("--mount-table", mount_table)):
            if given is not None and not given.is_file():
                raise ParameterError(f"{option} {given}: no such file")
        if wsl_conf is not None and not wsl_conf.is_file():
            raise ParameterError(f"--wsl-conf {wsl_conf}: no such file")
        for option, prog in (("--cmd-exe", cmd_exe), ("--wslpath", wslpath)):
            if prog is not None and not shutil.which(prog):
                raise ParameterError(f"{option} {prog}: not an executable program")
        conf_path = wsl_conf or WSL_CONF
        return cls(
            kernel=_kernel_text(kernel),
            mounts=read_table(mount_table),
            table=str(mount_table or "/proc/self/mountinfo"),
            cmd_exe=shutil.which(cmd_exe or "cmd.exe"),
            wslpath=shutil.which(wslpath or "wslpath"),
            wsl_conf=_read_wsl_conf(conf_path, given=wsl_conf is not None),
            wsl_conf_name=str(conf_path),
            live=mount_table is None,
        )

    @property
    def is_wsl_kernel(self) -> bool:
        return "microsoft" in self.kernel.lower()

    def setting(self, section: str, key: str) -> str | None:
        return self.wsl_conf.get(section.lower(), {}).get(key.lower())

    def off(self, section: str, key: str = "enabled") -> bool:
        return (self.setting(section, key) or "").strip().lower() in ("false", "0", "no")

    def lookup(self, path: Path) -> str:
        """A path as this host's table names it: resolved when the table is the live one."""
        return local_path(path) if self.live else os.path.normpath(os.path.abspath(path))

    def place_of(self, path: Path) -> tuple[Mount | None, Classified]:
        return classify_path(self.mounts, self.lookup(path))

    def drives(self) -> list[Drive]:
        """The Windows drives in the table, in its order (a later line for the same mount
        point replaces the earlier one, as the kernel does)."""
        found: dict[str, Drive] = {}
        for m in self.mounts:
            place = classify(m, m.mount_point)
            if place.cls == CROSS_OS and place.kind in DRIVE_KINDS and m.root in ("/", ""):
                found[m.mount_point] = Drive(m, place)
            else:
                found.pop(m.mount_point, None)
        return list(found.values())


def _kernel_text(path: Path | None) -> str:
    files = [path] if path else [Path("/proc/sys/kernel/osrelease"), Path("/proc/version")]
    text = []
    for f in files:
        try:
            text.append(f.read_text(errors="replace"))
        except OSError:
            continue
    return " ".join(text)


def _read_wsl_conf(path: Path, given: bool) -> dict[str, dict[str, str]]:
    """wsl.conf's sections and keys, lower-cased; a missing file is an empty one."""
    parser = configparser.ConfigParser(
        strict=False, interpolation=None, inline_comment_prefixes=("#",)
    )
    try:
        parser.read_string(path.read_text(errors="replace"), source=str(path))
    except OSError:
        if given:
            raise ParameterError(f"--wsl-conf {path}: cannot be read") from None
        return {}
    except configparser.Error as exc:
        first = str(exc).splitlines()[0]
        raise ParameterError(
            f"{path} is not an INI file ({first}): fix it, or pass another with --wsl-conf"
        ) from None
    return {
        s.lower(): {k.lower(): v.strip() for k, v in parser[s].items()} for s in parser.sections()
    }


def wsl_reason(host: Host) -> tuple[bool, str]:
    """Whether the WSL defaults apply here, and how that was decided."""
    if not host.is_wsl_kernel:
        return False, "not WSL (the kernel does not say Microsoft)"
    if host.drives():
        return True, f"WSL: the kernel says Microsoft and {host.table} has a Windows drive"
    if host.off("automount"):
        hint = f"automount is off ([automount] enabled=false in {host.wsl_conf_name})"
    else:
        root = host.setting("automount", "root") or "/mnt/"
        hint = f"no Windows drive is mounted (automount root {root})"
    return False, (
        f"WSL kernel, but {hint}: measuring the simulated share only; mount a drive "
        "(sudo mount -t drvfs C: /mnt/c) or pass --target windows=PATH"
    )
