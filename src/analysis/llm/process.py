"""Tidy per-request rows from raw LLM runs (pure: reads data/raw only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..places.roles import with_roles
from ..runs import load_manifest
from .record import NS

COLUMNS = [
    "run_id",
    "host",
    "engine",
    "model",
    "device",
    "target",
    "rep",
    "prompt_id",
    "warmup",
    "cold",
    "prompt_tokens",
    "generated_tokens",
    "prompt_eval_s",
    "eval_s",
    "load_s",
    "resident_pct",
    "ttft_s",
    "wall_s",
    "eval_tokens_per_s",
    "prompt_tokens_per_s",
]


def _timings(engine: str, final: dict[str, Any]) -> dict[str, float]:
    """Counts and seconds from an engine's own final response, unmodified on disk."""
    if engine == "llamacpp":
        t = final["timings"]
        return {
            "prompt_tokens": t["prompt_n"],
            "generated_tokens": t["predicted_n"],
            "prompt_eval_s": t["prompt_ms"] / 1e3,
            "eval_s": t["predicted_ms"] / 1e3,
        }

    def seconds(key: str) -> float | None:  # not reported is missing, never 0
        v = final.get(key)
        return v * NS if isinstance(v, int | float) else None

    return {
        "prompt_tokens": final.get("prompt_eval_count", 0),
        "generated_tokens": final.get("eval_count", 0),
        "prompt_eval_s": seconds("prompt_eval_duration"),
        "eval_s": seconds("eval_duration"),
    }


def _rate(n: float, s: float | None) -> float | None:
    return n / s if s is not None and s > 1e-4 else None


def tidy_run(run_dir: Path) -> pd.DataFrame:
    m = load_manifest(run_dir)
    p = m["parameters"]
    engine = p["engine"]
    rows = []
    for label, t in m.get("targets", {}).items():
        if t.get("status") != "complete":
            continue
        for f in sorted((run_dir / label).glob("responses-*.jsonl")):
            device = f.stem.split("-")[1]
            first_of_rep = True
            for line in f.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                tm = _timings(engine, r["response"])
                # runs from before the residency check carry no "cold" record: as they were
                checked = r.get("cold") or {}
                cold = first_of_rep and not r["rep"].startswith("w") and checked.get("cold", True)
                load = r["load_s"] if first_of_rep else None  # only a rep's first request loads
                resident = checked.get("resident_pct") if first_of_rep else None
                first_of_rep = False
                rows.append(
                    {
                        "run_id": m["run_id"],
                        "host": m["host"]["hostname"],
                        "engine": engine,
                        "model": p["model"],
                        "device": device,
                        "target": label,
                        "rep": r["rep"],
                        "prompt_id": r["prompt_id"],
                        "warmup": r["warmup"],
                        "cold": cold,
                        **tm,
                        "load_s": load,
                        "resident_pct": resident,
                        "ttft_s": r["ttft_s"],
                        "wall_s": r["wall_s"],
                        "eval_tokens_per_s": _rate(tm["generated_tokens"], tm["eval_s"]),
                        "prompt_tokens_per_s": _rate(tm["prompt_tokens"], tm["prompt_eval_s"]),
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def llm_table(run_dirs: list[Path]) -> pd.DataFrame:
    return with_roles(pd.concat([tidy_run(d) for d in run_dirs], ignore_index=True), run_dirs)


def rooflines(run_dirs: list[Path]) -> pd.DataFrame:
    rows = []
    for d in run_dirs:
        m = load_manifest(d)
        for label, t in m.get("targets", {}).items():
            for device, facts in (t.get("devices") or {}).items():
                rows.append(
                    {
                        "run_id": m["run_id"],
                        "host": m["host"]["hostname"],
                        "engine": m["parameters"]["engine"],
                        "model": m["parameters"]["model"],
                        "target": label,
                        "device": device,
                        **facts["roofline"],
                    }
                )
    return pd.DataFrame(rows)
