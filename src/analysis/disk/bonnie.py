"""Bonnie++: the command for a target, and its CSV lines (formats 1.96, 1.97, 1.98) as rows."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from ..errors import ParseError, parse_path
from .params import BonnieParams

THROUGHPUT = ("putc", "put_block", "rewrite", "getc", "get_block")
IO_METRICS = (*THROUGHPUT, "seeks")
FILE_METRICS = ("seq_create", "seq_stat", "seq_del", "ran_create", "ran_stat", "ran_del")
METRICS = IO_METRICS + FILE_METRICS
LABELS = {
    "putc": "per-char write",
    "put_block": "block write",
    "rewrite": "rewrite",
    "getc": "per-char read",
    "get_block": "block read",
    "seeks": "random seeks",
    "seq_create": "seq. create",
    "seq_stat": "seq. stat",
    "seq_del": "seq. delete",
    "ran_create": "random create",
    "ran_stat": "random stat",
    "ran_del": "random delete",
}

# Field layout per CSV format: header fields, then 6 io (value, cpu) pairs, 5 file-test
# parameters, 6 file (value, cpu) pairs, 12 latencies. 1.98 added `seeks` and
# `seek_proc_count` to the header; some 1.96 builds wrote no chunk_size column.
_HEAD_198 = (
    "format_version",
    "bonnie_version",
    "name",
    "concurrency",
    "seed",
    "file_size",
    "chunk_size",
    "seeks_count",
    "seek_proc_count",
)
_HEAD_196 = _HEAD_198[:7]
_FILE_PARAMS = ("num_files", "max_size", "min_size", "num_dirs", "file_chunk_size")
_LAYOUTS = {
    ("1.98", 50): _HEAD_198,
    ("1.97", 48): _HEAD_196,
    ("1.96", 48): _HEAD_196,
    ("1.97", 47): _HEAD_196[:6],
    ("1.96", 47): _HEAD_196[:6],
}
_LINE_RE = re.compile(r"^\s*(\d\.\d\d),")
_LATENCY_RE = re.compile(r"^(\d+(?:\.\d+)?)(us|ms|s)$")
_LATENCY_SCALE = {"us": 1.0, "ms": 1e3, "s": 1e6}


def _number(field: str, what: str, source: str, line: int) -> tuple[float | None, bool]:
    """(value, too_fast): '+++++' is too fast to measure (no value), '' means not run."""
    field = field.strip()
    if field == "":
        return None, False
    if set(field) == {"+"}:
        return None, True
    try:
        value = float(field)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ParseError(source, line, f"{what} is {field!r}, not a number or '+++++'")
    return value, False


def _latency(field: str, what: str, source: str, line: int) -> float | None:
    field = field.strip()
    if field == "" or set(field) == {"+"}:
        return None
    m = _LATENCY_RE.match(field)
    if not m:
        raise ParseError(source, line, f"{what} latency is {field!r}, not like 478us or 1445ms")
    return float(m.group(1)) * _LATENCY_SCALE[m.group(2)]


# Bonnie++ prints '+++++' when a test took under 500 ms (its manual): the rate was then
# at least the test's work divided by half a second
TOO_FAST_S = 0.5
_SIZE_RE = re.compile(r"^(\d+(?:\.\d+)?)([KMGT]?)", re.IGNORECASE)
_KIB = {"": 1 / 1024, "K": 1, "M": 1024, "G": 1024**2, "T": 1024**3}


def _kib(size: str) -> float | None:
    m = _SIZE_RE.match(size.strip())
    return float(m.group(1)) * _KIB[m.group(2).upper()] if m else None


def lower_bound(metric: str, info: dict[str, str], file_params: dict[str, str]) -> float | None:
    """The least rate a '+++++' stands for: the test's work over Bonnie++'s 500 ms."""
    if metric in THROUGHPUT:
        work = _kib(info.get("file_size", ""))
    elif metric == "seeks":
        work = float(info["seeks_count"]) if info.get("seeks_count", "").isdigit() else None
    else:
        count = file_params.get("num_files", "").split(":")[0].strip()
        work = float(count) * 1024 if count.isdigit() else None
    return work / TOO_FAST_S if work else None


def parse_line(text: str, source: str = "<input>", line: int = 1) -> list[dict[str, Any]]:
    """One Bonnie++ CSV line into one row per metric."""
    fields = text.strip().split(",")
    version = fields[0].strip()
    head = _LAYOUTS.get((version, len(fields)))
    if head is None:
        known = ", ".join(f"{v} ({n} fields)" for v, n in _LAYOUTS)
        raise ParseError(
            source,
            line,
            f"Bonnie++ CSV line with format {version!r} and {len(fields)} fields: "
            f"expected one of {known} (truncated or not Bonnie++ output?)",
        )
    info = dict(zip(head, fields, strict=False))
    i = len(head)
    io_pairs, i = fields[i : i + 12], i + 12
    file_params = dict(zip(_FILE_PARAMS, fields[i : i + 5], strict=True))
    i += 5
    file_pairs, i = fields[i : i + 12], i + 12
    latencies = fields[i : i + 12]
    pairs = io_pairs + file_pairs
    rows = []
    for k, metric in enumerate(METRICS):
        value, too_fast = _number(pairs[2 * k], metric, source, line)
        cpu, _ = _number(pairs[2 * k + 1], f"{metric} %CP", source, line)
        rows.append(
            {
                "line": line,
                "name": info["name"],
                "format_version": version,
                "bonnie_version": info["bonnie_version"],
                "file_size": info.get("file_size", ""),
                "num_files": file_params["num_files"],
                "metric": metric,
                "value": value,
                "unit": "KiB/s" if metric in THROUGHPUT else "/s",
                "too_fast": too_fast,
                "lower_bound": lower_bound(metric, info, file_params) if too_fast else None,
                "cpu_pct": cpu,
                "latency_us": _latency(latencies[k], metric, source, line),
            }
        )
    return rows


def parse_text(text: str, source: str = "<input>") -> list[dict[str, Any]]:
    """Every Bonnie++ CSV line in text (whole `bonnie++` output or a CSV file)."""
    rows: list[dict[str, Any]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if "," not in stripped or stripped.startswith("format_version,"):
            continue  # the human-readable table, or a header line
        if not _LINE_RE.match(stripped):
            raise ParseError(source, n, f"not a Bonnie++ CSV line: {stripped[:60]!r}")
        rows.extend(parse_line(stripped, source, n))
    if not rows:
        raise ParseError(source, None, "no Bonnie++ CSV line found (was the run cut short?)")
    return rows


def parse_file(path: Path) -> list[dict[str, Any]]:
    return parse_path(path, parse_text)


def command(bonnie: str, scratch: Path, label: str, p: BonnieParams, root: bool) -> list[str]:
    """bonnie++ arguments; a zero size, RAM or file count keeps Bonnie++'s own default."""
    cmd = [bonnie, "-d", str(scratch), "-m", label]
    if p.size_mib:
        cmd += ["-s", str(p.size_mib)]
    if p.ram_mib:
        cmd += ["-r", str(p.ram_mib)]
    if p.files:
        cmd += ["-n", str(p.files)]
    if p.fast:
        cmd.append("-f")  # skip the per-char tests, hours long on a slow share
    if root:
        cmd += ["-u", "root"]  # Bonnie++ refuses to run as root without it
    return cmd


def needed_bytes(p: BonnieParams, memory_bytes: int | None) -> int:
    """Bonnie++ writes a file of size_mib, by default twice the RAM."""
    if p.size_mib:
        return p.size_mib * 2**20
    return 2 * (memory_bytes or 0)
