"""The one record every engine returns per request, and the saved-response reader."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ParseError, parse_path

NS = 1e-9


@dataclass
class Generation:
    """One request's counts and durations (seconds), as every engine reports them."""

    engine: str
    model: str
    prompt_tokens: int
    generated_tokens: int
    prompt_eval_s: float | None  # None: the engine did not say (never a made-up 0)
    eval_s: float | None
    load_s: float | None  # None: no load happened in this request, or none was reported
    ttft_s: float | None
    total_s: float | None
    quantization: str | None = None
    size_bytes: int | None = None
    engine_version: str | None = None
    device: str = "cpu"
    placement: str = ""
    prompt_id: int = 0
    rep: str = ""
    warmup: bool = False
    cold: bool = False  # first request after a load checked cold: its load_s is a cold load
    cache_drop: str | None = None  # how that load's files were made cold
    resident_pct: float | None = None  # how much of them was still cached (mincore)
    wall_s: float | None = None  # as seen by the harness, for its overhead
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def eval_tokens_per_s(self) -> float | None:
        # below 0.1 ms the engine measured nothing (an immediate end of text)
        return self.generated_tokens / self.eval_s if (self.eval_s or 0) > 1e-4 else None

    @property
    def prompt_tokens_per_s(self) -> float | None:
        ok = (self.prompt_eval_s or 0) > 1e-4
        return self.prompt_tokens / self.prompt_eval_s if ok else None

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("extra")
        row["eval_tokens_per_s"] = self.eval_tokens_per_s
        row["prompt_tokens_per_s"] = self.prompt_tokens_per_s
        return row


def ollama_stats(final: dict[str, Any]) -> dict[str, float | None]:
    """eval/prompt tokens per second, load and total seconds from a final (done) response."""

    def per_s(count: str, duration: str) -> float | None:
        c, d = final.get(count), final.get(duration)
        if not isinstance(c, int | float) or not isinstance(d, int | float) or d <= 0 or c <= 0:
            return None  # nothing counted or timed: no rate, rather than a silent 0
        return c / (d * NS)

    def secs(key: str) -> float | None:
        v = final.get(key)
        return v * NS if isinstance(v, int | float) and v >= 0 else None

    return {
        "model": final.get("model"),
        "eval_tokens_per_s": per_s("eval_count", "eval_duration"),
        "prompt_tokens_per_s": per_s("prompt_eval_count", "prompt_eval_duration"),
        "load_s": secs("load_duration"),
        "total_s": secs("total_duration"),
        "eval_count": final.get("eval_count"),
        "prompt_eval_count": final.get("prompt_eval_count"),
    }


def _objects(text: str, source: str) -> list[tuple[int, dict[str, Any]]]:
    """One JSON object, a JSON list, or JSON lines, with the line each starts on."""
    stripped = text.strip()
    if not stripped:
        raise ParseError(source, None, "empty file: expected Ollama JSON responses")
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        return [(1, whole)]
    if isinstance(whole, list):
        return [(1, o) for o in whole]
    objs = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            objs.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ParseError(source, n, f"not JSON ({exc.msg}); truncated stream?") from None
    return objs


def read_ollama_responses(path: Path) -> list[dict[str, Any]]:
    return parse_path(path, parse_ollama_text)


def parse_ollama_text(text: str, source: str = "<input>") -> list[dict[str, Any]]:
    """Per final response (`done: true`, or a non-streamed one) its stats; chunks are skipped."""
    out = []
    for line, obj in _objects(text, source):
        if not isinstance(obj, dict):
            raise ParseError(source, line, "not a JSON object")
        if "error" in obj and "done" not in obj:
            raise ParseError(source, line, f"Ollama returned an error: {obj['error']}")
        if obj.get("done") is True or ("eval_count" in obj and "done" not in obj):
            out.append({"line": line, **ollama_stats(obj)})
    if not out:
        raise ParseError(
            source,
            None,
            "no final Ollama response (one with done: true); was the stream cut short?",
        )
    return out
