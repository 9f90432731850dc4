"""Jekyll and git on a placement: a full build, a watching build that an edit must reach, and
git status / add on the same files."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import hostinfo
from ..commands import require_tool, run_tool
from ..errors import ToolError

READY = "Auto-regeneration: enabled"  # jekyll's line once the first build of --watch is done
DONE = "done in"  # jekyll's line at the end of every build and rebuild
NOTICED = "Regenerating:"  # jekyll's line when its watcher sees a change


def build_command(source: Path, dest: Path, watch: str | None = None) -> list[str]:
    cmd = [require_tool("jekyll"), "build", "--source", str(source), "--destination", str(dest)]
    if watch:
        cmd.append("--watch")
        if watch == "polling":
            cmd.append("--force_polling")  # what a watcher falls back to when no event arrives
    return cmd


def full_build(source: Path, dest: Path, log: Path, timeout: float) -> float:
    """Seconds of one `jekyll build`, its output kept in log."""
    started = time.perf_counter()
    run_tool(
        build_command(source, dest), log, log.with_suffix(".err"), cwd=source, timeout=timeout
    )
    return time.perf_counter() - started


def _stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@contextlib.contextmanager
def watching(source: Path, dest: Path, mode: str, log: Path, timeout: float) -> Iterator[Path]:
    """`jekyll build --watch` running until the block ends (also on Ctrl-C); yields its log."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            build_command(source, dest, mode),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=source,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while READY not in log.read_text(errors="replace"):
            if proc.poll() is not None:
                tail = log.read_text(errors="replace").strip().splitlines()[-1:]
                raise ToolError(f"jekyll --watch exited: {tail[0] if tail else proc.returncode}")
            if time.monotonic() > deadline:
                raise ToolError(
                    f"jekyll --watch did not finish its first build in {timeout:.0f} s"
                )
            time.sleep(0.05)
        yield log
    finally:
        _stop(proc)


def builds_done(log: Path) -> int:
    return log.read_text(errors="replace").count(DONE)


def changes_noticed(log: Path) -> int:
    return log.read_text(errors="replace").count(NOTICED)


def _wait(ready: Any, limit: float, poll_s: float) -> bool:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        with contextlib.suppress(OSError):
            if ready():
                return True
        time.sleep(poll_s)
    return False


def edit_and_wait(
    post: Path,
    page: Path,
    token: str,
    log: Path,
    timeouts: tuple[float, float],
    poll_s: float,
    write: Any,
) -> dict[str, Any]:
    """Append token to the post with `write`; then whether the watcher noticed the change
    within the first timeout (the change event arrived, or polling found it), seconds until
    it did, and seconds until the rebuilt page showed the edit (within the second timeout)."""
    change_timeout, build_timeout = timeouts
    noticed_before, built_before = changes_noticed(log), builds_done(log)
    started = time.perf_counter()
    write(post, f"\n\n{token}\n")
    noticed = _wait(lambda: changes_noticed(log) > noticed_before, change_timeout, poll_s)
    out: dict[str, Any] = {"delivered": noticed, "noticed_s": None, "rebuild_s": None}
    if not noticed:
        return out
    out["noticed_s"] = round(time.perf_counter() - started, 3)
    if _wait(lambda: token in page.read_text(errors="replace"), build_timeout, poll_s):
        out["rebuild_s"] = round(time.perf_counter() - started, 3)
    _wait(lambda: builds_done(log) > built_before, build_timeout, poll_s)  # settle first
    return out


def warm_up(post: Path, log: Path, limit: float, retry_s: float, poll_s: float) -> float:
    """Edit the post again every retry_s until the watcher notices (a polling watcher takes
    its first snapshot after it says it is ready, and an edit made before that is part of
    the snapshot, never a change); seconds it took. Then wait for that rebuild to finish."""
    started = time.perf_counter()
    noticed, built = changes_noticed(log), builds_done(log)
    k = 0
    while time.perf_counter() - started < limit:
        append(post, f"\n\nwsl-lab-warmup-{k}\n")
        k += 1
        if _wait(lambda: changes_noticed(log) > noticed, retry_s, poll_s):
            _wait(lambda: builds_done(log) > built, limit, poll_s)
            return time.perf_counter() - started
    raise ToolError(f"jekyll --watch noticed no change within {limit:.0f} s")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


def windows_command(windows_path: str, text: str) -> list[str]:
    """cmd.exe appending text to a file as Windows names it: the path quoted (spaces), the
    text one line without cmd's special characters (the harness's tokens never need them)."""
    line = "".join(ch for ch in text.strip() if ch not in '"&|<>^%')
    return ["cmd.exe", "/d", "/c", f'echo {line}>>"{windows_path}"']


def windows_append(path: Path, text: str) -> None:
    """On WSL: the edit made by Windows itself (cmd.exe through interop), as an editor there."""
    win = subprocess.run(
        ["wslpath", "-w", str(path)], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()
    # from a Windows directory: cmd.exe started in a Linux one warns that UNC paths are not
    # supported and falls back to C:\Windows anyway
    cwd = "/mnt/c" if Path("/mnt/c").is_dir() else None
    done = subprocess.run(
        windows_command(win, text), capture_output=True, text=True, cwd=cwd, timeout=60
    )
    if done.returncode != 0:
        raise ToolError(f"cmd.exe could not edit {win}: {done.stderr.strip()[-200:]}")


def other_side(target_path: Path, fuse: bool) -> tuple[str, Any, str]:
    """How the other side edits this placement: (how, writer, note). On WSL with interop,
    Windows edits every placement (a native one through \\wsl.localhost, as an editor on
    Windows would); a simulated share is edited in the directory behind it."""
    if fuse:
        return "backing", append, "the directory behind the simulated share"
    if hostinfo.wsl_facts()["is_wsl"] and shutil.which("cmd.exe") and shutil.which("wslpath"):
        return "windows", windows_append, "Windows, through cmd.exe interop"
    return "same", append, "another process on the same directory (no other OS here)"


def git(repo: Path, *args: str) -> float:
    """Seconds of one git command in repo (its output discarded; a failure raises)."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            require_tool("git"),
            "-c",
            "user.name=wsl-lab",
            "-c",
            "user.email=wsl-lab@localhost",
            "-c",
            "core.fsmonitor=false",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise ToolError(f"git {args[0]} failed: {done.stderr.strip()[-200:]}")
    return time.perf_counter() - started
