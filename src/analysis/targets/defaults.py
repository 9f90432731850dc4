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

What decides this is a `Host` (`places.host`).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..errors import TargetError
from ..params import from_section
from ..places.classify import CROSS_OS, NATIVE, Classified
from ..places.host import Drive, Host, wsl_reason
from ..places.mounts import covering
from .target import Target, default_native_dir, parse_targets

INTEROP_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Places:
    """A profile's `[places]`: what the defaults may use (targets given replace them all)."""

    simulated: bool = True  # on WSL: also the simulated share beside the real Windows place
    windows: str = ""  # on WSL: the Windows place to measure ("" = %TEMP%, else <drive>/temp)


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
    if not profile:
        return Places()
    section = config.load_profile(profile).get("places", {})
    return from_section(Places, section, config.profile_path(profile), "places")


def chosen(specs: tuple | list, profile: str = "", host: Host | None = None) -> Resolved:
    """The targets given, else the default places of this host (on WSL: the real ones)."""
    if specs:
        return Resolved(False, "targets given", parse_targets(list(specs)))
    return default_targets(host, load_places(profile))
