"""fio: the job file for a profile, and its JSON output as rows (bandwidth, IOPS, latency)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

from ..errors import ParseError, parse_path
from .params import FioParams

# Cache conditions, each job's third field, and what it measures:
#   cold  the device, not memory: O_DIRECT where the file system allows it, else writes
#         fsync'd and the file evicted (fio's invalidate=1, posix_fadvise DONTNEED) before
#         the job reads it; new names (file_create) have nothing to be cached.
#   warm  the page cache, on purpose, where that is what a program meets: re-reading what
#         it just read (rand_read_warm, beside its cold twin), reading or writing byte by
#         byte through buffered files, stat() of names it just made. Every figure and table
#         prints the condition beside the job's name.
COLD, WARM = "cold", "warm"
MIN_TIMED_MS = 100  # fio times a job in whole ms, start-up included: a shorter job's rate
# is below what it can time, and is published as a lower bound


def jobs(p: FioParams, direct: bool = True) -> list[tuple[str, dict[str, Any], str]]:
    """(name, options, cache condition) per job, in the order they run. `direct`: whether
    the place allows O_DIRECT (else cold jobs fsync and evict instead). Every job but
    file_create runs for `runtime_s` (looping over its file), so that no rate comes from a
    run shorter than fio can time; file_create makes `nrfiles` new names once."""
    size = f"{p.size_mib}M"
    timed = {"runtime": p.runtime_s, "time_based": 1} if p.runtime_s else {}
    cold = {"direct": 1} if direct else {"direct": 0, "invalidate": 1, "fsync_on_close": 1}
    files = {"nrfiles": p.nrfiles, "filesize": "4k", "bs": "4k", "openfiles": 1}
    block = {"size": size, **timed}
    byte = {"bs": 1, "size": f"{p.byte_kib}k", "filename": "byte.dat", **timed}
    plan: list[tuple[str, dict[str, Any], str]] = [
        (
            "seq_write",
            {"rw": "write", "bs": "1M", "filename": "seq.dat", "end_fsync": 1, **block, **cold},
            COLD,
        ),
        ("seq_read", {"rw": "read", "bs": "1M", "filename": "seq.dat", **block, **cold}, COLD),
        (
            "rand_write",
            {
                "rw": "randwrite",
                "bs": "4k",
                "filename": "rand.dat",
                "end_fsync": 1,
                **block,
                **cold,
            },
            COLD,
        ),
        (
            "rand_read",
            {"rw": "randread", "bs": "4k", "filename": "rand.dat", **block, **cold},
            COLD,
        ),
        # the same reads from memory: the file read once first, then never evicted
        (
            "rand_read_warm",
            {
                "rw": "randread",
                "bs": "4k",
                "filename": "rand.dat",
                "direct": 0,
                "invalidate": 0,
                "pre_read": 1,
                **block,
            },
            WARM,
        ),
        # one write() or read() per byte, buffered, as a program doing so meets it: past the
        # first readahead the native side reads the page cache, drvfs sends each to Windows
        ("byte_write", {"rw": "write", "end_fsync": 1, **byte}, WARM),
        ("byte_read", {"rw": "read", "invalidate": 1, **byte}, WARM),
        ("file_create", {"ioengine": "filecreate", "rw": "write", **files}, COLD),
        # stat() of the names just made, again and again: the dentry and attribute caches
        ("file_stat", {"ioengine": "filestat", "rw": "read", **files, **timed}, WARM),
    ]
    if p.published_job:
        # The published post's job, with its runtime scaled: randrw 4k, 8 jobs, queue
        # depth 64, O_DIRECT (reads and writes reported apart, as the post's table has them)
        plan.append(
            (
                "published_randrw",
                {
                    "rw": "randrw",
                    "bs": "4k",
                    "numjobs": 8,
                    "iodepth": 64,
                    "ioengine": "libaio",
                    "size": size,
                    "time_based": 1,
                    "runtime": p.published_runtime_s,
                    "group_reporting": 1,
                    **cold,
                },
                COLD,
            )
        )
    return plan


def caches(p: FioParams) -> dict[str, str]:
    """Each job's cache condition by name."""
    return {name: cache for name, _options, cache in jobs(p)}


def direct_io_allowed(directory: Path) -> bool:
    """Whether files here can be opened with O_DIRECT (some shares refuse it: EINVAL)."""
    probe = directory / ".wsl-lab-odirect-probe"
    try:
        fd = os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_DIRECT, 0o600)
    except OSError as exc:
        if exc.errno == errno.EINVAL:
            return False
        raise
    else:
        os.close(fd)
        return True
    finally:
        probe.unlink(missing_ok=True)


def job_file(p: FioParams, direct: bool = True) -> str:
    lines = ["[global]", "ioengine=psync", "invalidate=1", "stonewall", ""]
    for name, options, _cache in jobs(p, direct):
        lines.append(f"[{name}]")
        lines += [f"{k}={v}" for k, v in options.items()]
        lines.append("")
    return "\n".join(lines)


def command(fio: str, job_path: Path, output: Path) -> list[str]:
    return [fio, "--output-format=json", f"--output={output}", str(job_path)]


def _load(text: str, source: str) -> dict[str, Any]:
    # fio may print notes before the JSON object when --output is not used.
    start = text.find("{")
    if start < 0:
        raise ParseError(source, None, "no JSON object found (empty or not fio output)")
    try:
        data = json.loads(text[start:])
    except json.JSONDecodeError as exc:
        line = text[:start].count("\n") + exc.lineno
        raise ParseError(source, line, f"invalid fio JSON ({exc.msg}); truncated?") from None
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise ParseError(source, None, "fio JSON without a 'jobs' list")
    return data


def _direction(job: dict[str, Any], d: str, source: str, idx: int) -> dict[str, Any]:
    stats = job.get(d)
    if not isinstance(stats, dict):
        raise ParseError(source, None, f"job {idx + 1} has no '{d}' section")
    try:
        bw = float(stats["bw"])
        iops = float(stats["iops"])
        pct = (stats.get("clat_ns") or {}).get("percentile") or {}
        total = int(stats.get("total_ios", stats.get("io_bytes", 0)))
    except (KeyError, TypeError, ValueError) as exc:
        raise ParseError(source, None, f"job {idx + 1} '{d}' lacks a number: {exc}") from None

    def p(q: str) -> float | None:
        v = pct.get(q)
        return float(v) / 1e3 if isinstance(v, int | float) else None

    return {
        "bw_kib_s": bw,
        "iops": iops,
        "clat_p50_us": p("50.000000"),
        "clat_p99_us": p("99.000000"),
        "ios": total,
    }


def parse_text(text: str, source: str = "<input>") -> list[dict[str, Any]]:
    """One row per job and direction that did I/O (filecreate/filestat report opens as IOPS)."""
    data = _load(text, source)
    rows = []
    for idx, job in enumerate(data["jobs"]):
        if not isinstance(job, dict) or "jobname" not in job:
            raise ParseError(source, None, f"job {idx + 1} has no 'jobname'")
        for d in ("read", "write"):
            stats = _direction(job, d, source, idx)
            if stats["ios"] == 0:
                continue
            rows.append(
                {
                    "job": job["jobname"],
                    "direction": d,
                    "error": job.get("error", 0),
                    "runtime_ms": job.get("job_runtime"),
                    **stats,
                }
            )
    return rows


def parse_file(path: Path) -> list[dict[str, Any]]:
    return parse_path(path, parse_text)
