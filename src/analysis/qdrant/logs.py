"""Reading Qdrant's startup from its log: plain, docker-compose prefixed, ANSI-coloured or JSON."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import ParseError, parse_path

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
COMPOSE_PREFIX = re.compile(r"^[\w.-]+\s+\|\s?")
PLAIN = re.compile(
    r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?)\s+([A-Z]+)\s+(?:[\w:]+:\s)?(.*)$"
)
LOADING = re.compile(r"Loading collection:\s*(\S+)")
RECOVERED = re.compile(r"Recovered collection\s+(\S+?):")
READY = "gRPC listening"


def _timestamp(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_line(line: str) -> tuple[datetime, str] | None:
    """(time, message) of one log line, or None for a line that is not a Qdrant log line."""
    line = COMPOSE_PREFIX.sub("", ANSI.sub("", line).strip())
    if line.startswith("{"):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            return None
        if not isinstance(obj, dict):
            return None
        fields = obj.get("fields")
        msg = fields.get("message") if isinstance(fields, dict) else obj.get("message")
        ts = _timestamp(str(obj.get("timestamp", "")))
        return (ts, str(msg)) if ts and msg is not None else None
    m = PLAIN.match(line)
    if not m:
        return None
    ts = _timestamp(m.group(1))
    return (ts, m.group(3)) if ts else None


def startup_summary(text: str, source: str = "<log>") -> dict[str, Any]:
    """total_s (first Loading → gRPC listening), per-collection load_s, and ready."""
    events = [e for e in (parse_line(line) for line in text.splitlines()) if e]
    if not events:
        raise ParseError(
            source,
            None,
            "no Qdrant log lines found (expected lines like "
            "'2024-11-11T15:17:28.399231Z  INFO ...')",
        )
    loads: list[dict[str, Any]] = []
    first_loading = ready_at = None
    for ts, msg in events:
        if m := LOADING.search(msg):
            first_loading = first_loading or ts
            loads.append({"name": m.group(1), "start": ts, "end": None})
        elif m := RECOVERED.search(msg):
            for c in reversed(loads):
                if c["name"] == m.group(1) and c["end"] is None:
                    c["end"] = ts
                    break
        elif READY in msg and ready_at is None:
            ready_at = ts
    collections = []
    for k, c in enumerate(loads):
        end = c["end"] or (loads[k + 1]["start"] if k + 1 < len(loads) else None)
        collections.append(
            {
                "name": c["name"],
                "start_s": round((c["start"] - first_loading).total_seconds(), 6),
                "load_s": round((end - c["start"]).total_seconds(), 6) if end else None,
                "recovered": c["end"] is not None,
            }
        )
    total = (ready_at - first_loading).total_seconds() if first_loading and ready_at else None
    return {
        "source": source,
        "total_s": round(total, 6) if total is not None else None,
        "collections": collections,
        "ready": ready_at is not None,
        "lines": len(events),
    }


def read_startup(path: Path) -> dict[str, Any]:
    return parse_path(path, startup_summary)
