"""The project's one exception hierarchy; the CLI turns each into one line and exit code 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class ExperimentError(Exception):
    """Base of every error the project raises on purpose."""


class PreconditionError(ExperimentError):
    """Something the run needs is missing: a tool, a daemon, a model, FUSE."""


class TargetError(ExperimentError):
    """A target directory cannot be used (missing, read-only, dangerous, too small)."""


class ParameterError(ExperimentError):
    """A parameter or profile is wrong: an unknown name, a bad value."""


class ParseError(ExperimentError):
    """A tool's output cannot be read; names the file and line."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line


def parse_path(path: Path, parse: Callable[[str, str], T]) -> T:
    """Read a tool's output file and parse it; an unreadable file is a ParseError too."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ParseError(str(path), None, f"cannot read: {exc.strerror}") from None
    return parse(text, str(path))


class ToolError(ExperimentError):
    """A tool ran but failed; the message holds the tail of what it printed."""
