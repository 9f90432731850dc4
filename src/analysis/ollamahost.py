"""Calls to an Ollama server through the official client, every failure as one clear line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import ollama
import pydantic

from .errors import PreconditionError


def ollama_call(
    host: str,
    model: str,
    unreachable_hint: str,
    fn: Callable[..., Any],
    /,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """fn(*args, **kwargs); unreachable, missing model, or a server dying mid-answer: one line."""
    try:
        return fn(*args, **kwargs)
    except ConnectionError:
        raise PreconditionError(f"Ollama at {host} not reachable: {unreachable_hint}") from None
    except ollama.ResponseError as exc:
        if exc.status_code == 404:
            raise PreconditionError(
                f'model {model} not found on {host}: run "ollama pull {model}"'
            ) from None
        raise PreconditionError(f"Ollama at {host}: {exc.error}") from None
    except (httpx.HTTPError, pydantic.ValidationError, ValueError) as exc:
        # a server that went away mid-answer, or answered something that is not Ollama's
        why = str(exc).splitlines()[0][:100] if str(exc) else type(exc).__name__
        raise PreconditionError(f"Ollama at {host} failed mid-request: {why}") from None
