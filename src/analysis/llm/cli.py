"""`wsl-lab run llm`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ..cliopts import DEFAULT, ProfileOpt, RootOpt, ShareModelOpt, TargetOpt, report_run
from ..params import load


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
    from .experiment import run_llm
    from .params import LlmParams

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
    run = run_llm(params, root=root, say=typer.echo)
    report_run(run.manifest, run.path)
