"""The places a run measures when none are given: on WSL the real ones, elsewhere a simulation.

Off WSL: a native directory and the same directory through the simulated share (`native`,
`share`). On WSL (the kernel says Microsoft and the mount table has a Windows drive):

- `native`: the same native directory, on the distro's own file system;
- `windows`: the Windows user's `%TEMP%` (asked of `cmd.exe` through interop, mapped by
  `wslpath -u`), else `<the Windows drive>/temp`, each checked to be a cross-OS share by the
  mount table; `[places] windows` in a profile names another;
- `simulated`: the native directory through the profile's share model, so that every WSL run
  also holds the simulation against the real share it imitates (`[places] simulated = false`
  turns it off).

What decides this is a `Host`: this machine's kernel, mount table, `cmd.exe`, `wslpath` and
`/etc/wsl.conf`, or files and programs standing in for them (`wsl-lab targets --kernel …`).
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParameterError, TargetError
from .classify import CROSS_OS, NATIVE, Classified, classify, classify_path
from .mounts import Mount, covering, local_path, read_table
from .targets import Target, default_native_dir

DRIVE_KINDS = ("wsl2-9p-drvfs", "wsl1-drvfs", "wsl2-virtiofs-drvfs")
WSL_CONF = Path("/etc/wsl.conf")
INTEROP_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Places:
    """A profile's `[places]`: what the defaults may use (targets given replace them all)."""

    simulated: bool = True  # on WSL: also the simulated share beside the real Windows place
    windows: str = ""  # on WSL: the Windows place to measure ("" = %TEMP%, else <drive>/temp)


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


@dataclass(frozen=True)
class Resolved:
    """The default places: the targets, why each, and the places left out and why."""

    wsl: bool
    why: str  # why these defaults (WSL or not, and how that was decided)
    targets: list[Target]
    left_out: dict[str, str] = field(default_factory=dict)  # label -> why it is not measured


def _writable_dir(path: Path) -> str | None:
    """None when path is a directory this user may write in, else what is wrong."""
    if not path.exists():
        return f"{path} does not exist"
    if not path.is_dir():
        return f"{path} is not a directory"
    if not os.access(path, os.W_OK | os.X_OK):
        return f"{path} is not writable by this user"
    return None


def _checked_windows(host: Host, path: Path) -> tuple[Classified, str | None]:
    """What path is, and None when it is a writable place on a Windows drive."""
    _, place = host.place_of(path)
    problem = _writable_dir(path)
    if problem is None and place.cls != CROSS_OS:
        problem = f"{path} is on {place.describe()}, not on a Windows drive"
    return place, problem


def interop_temp(host: Host, drives: list[Drive]) -> tuple[Path | None, str]:
    """The Windows user's %TEMP% as a Linux path, and how it was found (or why not)."""
    if host.off("interop"):
        return None, f"interop is off ([interop] enabled=false in {host.wsl_conf_name})"
    if not host.cmd_exe:
        return None, "cmd.exe is not on PATH (interop off, or [interop] appendWindowsPath=false)"
    if not host.wslpath:
        return None, "wslpath is not on PATH"
    # from a Windows directory: cmd.exe started in a Linux one warns that UNC paths are not
    # supported, and starts in C:\Windows
    cwd = next((d.mount.mount_point for d in drives if os.path.isdir(d.mount.mount_point)), None)
    try:
        done = subprocess.run(
            [host.cmd_exe, "/d", "/c", "echo %TEMP%"],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=INTEROP_TIMEOUT_S,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"cmd.exe did not run ({exc}): is interop on?"
    lines = [ln.strip() for ln in done.stdout.splitlines() if ln.strip()]
    win = lines[-1] if lines else ""
    if done.returncode != 0 or not win or "%TEMP%" in win.upper():
        return None, f"cmd.exe did not name %TEMP% (exit {done.returncode}, said {win!r})"
    try:
        mapped = subprocess.run(
            [host.wslpath, "-u", win],
            capture_output=True,
            text=True,
            timeout=INTEROP_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"wslpath did not run ({exc})"
    linux = mapped.stdout.strip()
    if mapped.returncode != 0 or not linux.startswith("/"):
        why = mapped.stderr.strip().splitlines()[-1:] or [f"exit {mapped.returncode}"]
        return None, f"wslpath -u {win!r} failed: {why[0]}"
    return Path(linux), f"the Windows user's %TEMP% ({win}, from cmd.exe via interop, as {linux})"


def _drive_note(drives: list[Drive], chosen: Drive | None, host: Host) -> str:
    notes = []
    if len(drives) > 1:
        names = ", ".join(f"{d.letter}: at {d.mount.mount_point}" for d in drives)
        notes.append(f"Windows drives {names}")
    root = host.setting("automount", "root")
    if root and chosen is not None:
        notes.append(f"automount root {root} ({host.wsl_conf_name})")
    return "; ".join(notes)


def windows_place(host: Host, places: Places) -> tuple[Path | None, str]:
    """The Windows place to measure, and why it (or why none: what to set)."""
    drives = host.drives()
    if places.windows:
        path = Path(os.path.expanduser(places.windows))
        place, problem = _checked_windows(host, path)
        if problem:
            raise TargetError(f"[places] windows = {places.windows!r}: {problem}")
        return path, f"[places] windows in the profile ({place.describe()})"
    temp, how = interop_temp(host, drives)
    if temp is not None:
        place, problem = _checked_windows(host, temp)
        if problem is None:
            chosen = next((d for d in drives if covering([d.mount], host.lookup(temp))), None)
            note = _drive_note(drives, chosen, host)
            return temp, how + (f"; {note}" if note else "")
        how = f"%TEMP% not used: {problem}"
    # %TEMP% unknown: C:, where Windows keeps it, else the first drive in the table
    drive = next((d for d in drives if d.letter == "C"), drives[0])
    fallback = Path(drive.mount.mount_point) / "temp"
    place, problem = _checked_windows(host, fallback)
    note = _drive_note(drives, drive, host)
    if problem is None:
        why = f"{fallback} ({place.describe()}), since {how}"
        return fallback, why + (
            f"; {note}, set [places] windows to choose another" if note else ""
        )
    return None, (
        f"no writable Windows place: {how}, and {problem}: create it "
        f"(mkdir {fallback}) or set [places] windows = PATH in the profile"
    )


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


def default_targets(host: Host | None = None, places: Places | None = None) -> Resolved:
    """The places a run measures when the profile and command line name none."""
    host = host or Host.read()
    places = places or Places()
    native = default_native_dir()
    _, native_place = host.place_of(native if native.exists() else native.parent)
    native_why = f"wsl-lab's own directory, on {native_place.describe()}"
    wsl, why = wsl_reason(host)
    if not wsl:
        simulated = Target(
            "share", native, fuse=True, why="the native directory through the share model"
        )
        return Resolved(False, why, [Target("native", native, why=native_why), simulated])
    if native_place.cls != NATIVE:
        native_why += " (not native: set WSL_LAB_CACHE to a directory on the distro's disk)"
    targets = [Target("native", native, why=f"{native_why}, the distro's own file system")]
    left_out: dict[str, str] = {}
    path, how = windows_place(host, places)
    if path is not None:
        targets.append(Target("windows", path, why=how))
    else:
        left_out["windows"] = how
    if places.simulated:
        targets.append(
            Target(
                "simulated",
                native,
                fuse=True,
                why="the native directory through the share model: the live fidelity check",
            )
        )
    else:
        left_out["simulated"] = "[places] simulated = false in the profile"
    return Resolved(True, why, targets, left_out)


def load_places(profile: str) -> Places:
    """The profile's `[places]` (defaults when it has none), checked."""
    from .. import config
    from ..params import from_section

    if not profile:
        return Places()
    section = config.load_profile(profile).get("places", {})
    return from_section(Places, section, config.profile_path(profile), "places")
