"""The headlines: every native-vs-share ratio the post quotes, declared once, and how each is
read from its experiment's tidy table. The convergence study, the default-vs-standard
benchmark, the fidelity table and the audit's costs all read this list. Pure: tables in,
numbers out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    experiment: str
    metrics: tuple[str, ...]  # the first one measured on both sides is used
    rate: bool  # a rate (native/share) rather than a time (share/native)
    size: str  # the parameter whose size the convergence study varies ("" = none)
    workload: str = ""  # its row's label in the fidelity table ("" = the post has no ratio)
    benchmark: str = ""  # the calibration microbenchmark it rests on ("" = none)


H = Headline
# key, label, experiment, metrics (first measured on both sides wins), rate?, size,
# the fidelity table's label (the post has its own ratio) and the microbenchmark it rests on
HEADLINES = (
    H("qdrant_cold_start", "Qdrant cold start", "qdrant", ("cold_start_s",), False, "records",
      "Qdrant cold start", "cold_mmap"),
    H("qdrant_ingest", "Qdrant ingest", "qdrant", ("ingest_records_per_s",), True, "records"),
    H("byte_writes", "one-byte writes", "disk", ("byte_write.write.iops", "putc"), True,
      "fio.runtime_s", "per-char (one-byte) writes", "small_write"),
    H("byte_reads", "one-byte reads", "disk", ("byte_read.read.iops", "getc"), True,
      "fio.runtime_s"),
    H("block_writes", "block writes", "disk", ("seq_write.write.bw", "put_block"), True,
      "fio.runtime_s", "block (sequential) writes", "seq_write"),
    H("block_reads", "block reads", "disk", ("seq_read.read.bw", "get_block"), True,
      "fio.runtime_s"),
    H("file_creation", "file creation", "disk", ("file_create.write.iops", "seq_create"), True,
      "fio.nrfiles", "file creation", "create"),
    H("published_read", "published fio job, reads", "disk", ("published_randrw.read.bw",),
      True, "fio.published_runtime_s",
      "published fio job (randrw 4k, 8 jobs, qd 64), reads"),
    H("published_write", "published fio job, writes", "disk", ("published_randrw.write.bw",),
      True, "fio.published_runtime_s",
      "published fio job (randrw 4k, 8 jobs, qd 64), writes"),
    H("model_load", "model load (cold)", "llm", ("load_s",), False, ""),
    H("full_build", "full site build", "devloop", ("build_s",), False, "posts"),
    H("git_status", "git status (cold)", "devloop", ("git_status_cold_s",), False, "posts"),
)  # fmt: skip
BY_KEY = {h.key: h for h in HEADLINES}
WORKLOADS = tuple(h for h in HEADLINES if h.workload)  # the fidelity table's rows


def values(table: Any, label: str, metric: str) -> list[float]:
    """The measured, kept values of one metric on one target: a long table's `metric` rows,
    or a wide table's column (cold loads only where the table says which were cold). Figures
    too fast to measure and lower bounds are left out: they are not numbers."""
    rows = table[table["target"] == label]
    if "metric" not in rows:  # a wide table (llm): a load is a cold row's, warm-up or not
        if metric not in rows:
            return []
        series = rows[rows["cold"].astype(bool)][metric] if "cold" in rows else rows[metric]
    else:
        if "source" in rows:
            rows = rows[rows["source"] == "measured"]
        for flag in ("warmup", "too_fast"):
            if flag in rows:
                rows = rows[~rows[flag].astype(bool)]
        if "lower_bound" in rows:
            rows = rows[rows["lower_bound"].isna()]
        series = rows[rows["metric"] == metric]["value"]
    return [float(v) for v in series.dropna() if math.isfinite(float(v)) and float(v) > 0]


def _median(xs: list[float]) -> float | None:
    if not xs:
        return None
    s = sorted(xs)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def ratio(table: Any, h: Headline, native: str, share: str) -> float | None:
    """How many times slower the share is for h (medians of each side), or None when not
    measured on both."""
    for metric in h.metrics:
        a, b = _median(values(table, native, metric)), _median(values(table, share, metric))
        if a is not None and b is not None:
            return a / b if h.rate else b / a
    return None


def ratios(table: Any, experiment: str, native: str, share: str) -> dict[str, float | None]:
    """Every headline of one experiment, by key."""
    return {h.key: ratio(table, h, native, share) for h in HEADLINES if h.experiment == experiment}
