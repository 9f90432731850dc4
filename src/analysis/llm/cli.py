"""`wsl-lab run llm`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import (
    Format,
    print_rows,
    run_command,
)
from .params import OPTIONS, LlmParams
from .record import read_ollama_responses

run_llm_cmd = run_command(
    "llm",
    LlmParams,
    OPTIONS,
    "Generation and prompt tokens/s, time to first token, load time; with a roofline.",
)


def ollama_stats_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            help="Saved Ollama responses: one JSON object, JSON "
            "lines, or a saved stream ending in done: true."
        ),
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Per response: eval and prompt tokens/s, load and total seconds."""

    rows = read_ollama_responses(file)
    if json_out:
        typer.echo(json.dumps(rows, indent=2))
        return
    print_rows(
        rows,
        Format.table,
        ["line", "model", "eval_tokens_per_s", "prompt_tokens_per_s", "load_s", "total_s"],
    )
