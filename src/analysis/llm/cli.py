"""`wsl-lab run llm`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import (
    DEFAULT,
    Format,
    ProfileOpt,
    RootOpt,
    ShareModelOpt,
    TargetOpt,
    print_rows,
    report_run,
)
from ..experiments import get
from ..params import load
from .params import LlmParams
from .record import read_ollama_responses


class EngineName(StrEnum):
    llamacpp = "llamacpp"
    ollama = "ollama"
    docker = "docker"


def run_llm_cmd(
    profile: ProfileOpt = DEFAULT,
    engine: Annotated[
        EngineName,
        typer.Option(
            help="llamacpp: llama.cpp in-process with a GGUF (no server); ollama: your Ollama "
            "server; docker: the ollama image with every GPU."
        ),
    ] = EngineName.llamacpp,
    model: Annotated[
        str | None,
        typer.Option(
            help="llamacpp: 'smollm2-135m' (bundled) or a .gguf path; ollama/docker: a model "
            "name such as llama3.2. Default: profile's (smollm2-135m)."
        ),
    ] = None,
    target: TargetOpt = None,
    host: Annotated[
        str | None,
        typer.Option(help="Ollama URL. Default: $OLLAMA_HOST, else http://127.0.0.1:11434."),
    ] = None,
    device: Annotated[
        list[str] | None,
        typer.Option(
            "--device", help="cpu and/or gpu (repeatable; ollama/docker). Default: profile's."
        ),
    ] = None,
    reps: Annotated[int | None, typer.Option(help="Cold loads per placement and device.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Tokens generated per request.")] = None,
    share_model: ShareModelOpt = None,
    root: RootOpt = None,
) -> None:
    """Generation and prompt tokens/s, time to first token, load time; with a roofline."""

    params = load(
        LlmParams,
        profile.value,
        "llm",
        targets=target,
        engine=engine.value,
        model=model,
        host=host,
        devices=device,
        reps=reps,
        max_tokens=max_tokens,
        share_model=share_model,
    )
    run = get("llm").runner(params, root=root, say=typer.echo)
    report_run(run.manifest, run.path)


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
