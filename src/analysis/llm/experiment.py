"""Running the LLM experiment: engines × devices × model placements, N cold-loaded reps."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..cache import make_cold
from ..errors import ExperimentError, ParameterError
from ..faults import checkpoint
from ..placement.share import placed, share_model_of
from ..runs import Run, create_run, measure_each, recording, rep_names
from ..stats import summarize
from ..targets import (
    Target,
    prepare,
    scratch_dir,
)
from .docker import ollama_container
from .engines import LlamaCppEngine, OllamaEngine, resolve_gguf
from .record import Generation
from .roofline import measure_bandwidth, roofline
from .throughput import PROMPTS, run_rep

ENGINES = ("llamacpp", "ollama", "docker")
Say = Callable[[str], None]


def check_params(params: dict[str, Any]) -> None:
    if params["engine"] not in ENGINES:
        raise ParameterError(f"unknown engine {params['engine']!r}: choose {', '.join(ENGINES)}")
    if not 1 <= int(params["prompts"]) <= len(PROMPTS):
        raise ParameterError(f"prompts must be 1..{len(PROMPTS)}, got {params['prompts']}")
    for key in ("reps", "max_tokens"):
        if int(params[key]) < 1:
            raise ParameterError(f"llm {key} must be at least 1, got {params[key]}")
    bad = [d for d in params["devices"] if d not in ("cpu", "gpu")]
    if bad:
        raise ParameterError(f"unknown device(s) {bad}: use cpu and/or gpu")


def ollama_host(params: dict[str, Any]) -> str:
    return params.get("host") or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434"


def summarize_gens(gens: list[Generation]) -> dict[str, Any]:
    measured = [g for g in gens if not g.warmup]
    cold = [g.load_s for g in gens if g.cold]
    return {
        "requests": len(measured),
        "eval_tokens_per_s": summarize([g.eval_tokens_per_s for g in measured]),
        "prompt_tokens_per_s": summarize([g.prompt_tokens_per_s for g in measured]),
        "ttft_s": summarize([g.ttft_s for g in measured]),
        "load_s": summarize(cold),
    }


def _measure(
    run: Run,
    label: str,
    device: str,
    make_engine: Callable[[], Any],
    params: dict,
    say: Say,
    cache_paths: list[Path] | None = None,
    backing: list[Path] | None = None,
) -> list[Generation]:
    prompts = list(PROMPTS[: int(params["prompts"])])
    gens: list[Generation] = []
    # a warm-up rep first: its load pays the engine's one-time start-up
    for rep in rep_names(int(params["reps"]), 1):
        engine = make_engine()
        load_s, got = run_rep(
            engine,
            rep,
            prompts,
            int(params["max_tokens"]),
            int(params["seed"]),
            int(params["warmup"]),
            run.file(label, f"responses-{device}-{rep}.jsonl"),
            placement=label,
            # unloaded by the engine, then made cold and checked (a server's files we cannot
            # see are cold only when the whole page cache could be dropped)
            before_load=lambda: make_cold(cache_paths or [], backing),
        )
        gens += got
        tps = [g.eval_tokens_per_s for g in got if not g.warmup and g.eval_tokens_per_s]
        rate = f"{sum(tps) / len(tps):.1f} tokens/s" if tps else "warm-up, discarded"
        kind = "cold" if got and got[0].cold else "warm"
        load = f"{load_s:.2f} s" if load_s is not None else "not reported"
        say(f"  {label}/{device} {rep}: {kind} load {load}, {rate}")
    return gens


def _finish_target(
    run: Run,
    label: str,
    device: str,
    gens: list[Generation],
    weights: int | None,
    bandwidth: float,
) -> None:
    summary = summarize_gens(gens)
    achieved = summary["eval_tokens_per_s"]["median"]
    facts = run.target(label).setdefault("devices", {})
    facts[device] = {**summary, "roofline": roofline(weights or 0, bandwidth, achieved)}
    run.set_target(label, devices=facts)


def _llamacpp_target(run: Run, target: Target, params: dict, bandwidth: float, say: Say) -> None:
    src = resolve_gguf(params["model"])
    with (
        placed(run, target, params) as where,
        scratch_dir(where, run.run_id, target.label) as scratch,
    ):
        checkpoint("setup")
        gguf = scratch / src.name
        shutil.copyfile(src, gguf)  # the model lives in the placement being measured
        gens = _measure(
            run,
            target.label,
            "cpu",
            lambda: LlamaCppEngine(gguf, int(params["threads"]), int(params["n_ctx"])),
            params,
            say,
            cache_paths=[scratch],
            backing=[target.path / scratch.name] if target.fuse else None,
        )
        _finish_target(run, target.label, "cpu", gens, gguf.stat().st_size, bandwidth)
    run.set_target(target.label, status="complete")


def _ollama_devices(
    run: Run, label: str, url: str, params: dict, bandwidth: float, say: Say
) -> None:
    for device in params["devices"]:
        probe = OllamaEngine(url, params["model"], gpu=device == "gpu")
        probe.check()
        size = probe.info.get("size_bytes")
        probe.close()
        gens = _measure(
            run,
            label,
            device,
            lambda d=device: OllamaEngine(url, params["model"], gpu=d == "gpu"),
            params,
            say,
        )
        bw = float(params["gpu_bandwidth_gbs"]) * 1e9 if device == "gpu" else bandwidth
        _finish_target(run, label, device, gens, size, bw)


def _docker_target(run: Run, target: Target, params: dict, bandwidth: float, say: Say) -> None:
    named = params.get("volume") == "named"
    with (
        placed(run, target, params) as where,
        scratch_dir(where, run.run_id, target.label) as scratch,
    ):
        name = f"wsl-lab-ollama-{run.run_id}-{target.label}".lower()
        with ollama_container(
            name,
            None if named else scratch,
            f"{name}-models" if named else None,
            params["image"],
            run.run_id,
        ) as url:
            import ollama

            say(f"  {target.label}: pulling {params['model']} into the container …")
            ollama.Client(host=url).pull(params["model"])
            _ollama_devices(run, target.label, url, params, bandwidth, say)
    run.set_target(target.label, status="complete")


def preflight(params: dict) -> None:
    """Everything that can be refused before a run directory exists."""
    if params["engine"] == "llamacpp":
        resolve_gguf(params["model"])
    elif params["engine"] == "ollama":
        for device in params["devices"]:
            OllamaEngine(ollama_host(params), params["model"], gpu=device == "gpu").check()
    else:
        from ..dockerhost import docker_client

        docker_client("use --engine llamacpp")


def versions(params: dict) -> dict[str, Any]:
    from importlib.metadata import version

    out = {"xllamacpp": version("xllamacpp"), "ollama-client": version("ollama")}
    if params["engine"] == "docker":
        out["image"] = params["image"]
    return out


def run_llm(
    params: dict[str, Any], targets: list[Target], root: Path | None = None, say: Say = print
) -> Run:
    check_params(params)
    preflight(params)
    prepare(targets)
    share_model_of(params, targets)  # a bad model: one line, before any run directory
    engine = params["engine"]
    placements = targets if engine != "ollama" else []
    run = create_run(
        "llm",
        {
            **params,
            "targets": [str(t) for t in placements],
            "host": ollama_host(params) if engine == "ollama" else None,
            "prompt_texts": list(PROMPTS[: int(params["prompts"])]),
        },
        root,
        tools=versions(params),
    )
    with recording(run):
        say(f"run {run.run_id} → {run.path}")
        bandwidth = measure_bandwidth(int(params["bandwidth_mib"]))
        run.manifest["cpu_bandwidth_bps"] = bandwidth
        if engine == "ollama":
            run.set_target("server", status="running", url=ollama_host(params))
            try:
                _ollama_devices(run, "server", ollama_host(params), params, bandwidth, say)
            except ExperimentError as exc:  # e.g. the server died mid-run: keep what came
                run.set_target("server", status="failed", error=str(exc))
                say(f"  server: failed: {exc}")
                return run
            run.set_target("server", status="complete")
            return run
        measure = _llamacpp_target if engine == "llamacpp" else _docker_target
        need = 2 * resolve_gguf(params["model"]).stat().st_size if engine == "llamacpp" else 0
        measure_each(run, placements, need, lambda t: measure(run, t, params, bandwidth, say), say)
    return run
