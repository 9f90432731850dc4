"""Running the LLM experiment: engines × devices × model placements, N cold-loaded reps."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import ollama

from ..cache import make_cold
from ..dockerhost import docker_client
from ..errors import ExperimentError
from ..faults import checkpoint
from ..params import as_dict
from ..progress import Step, step
from ..runner.place import checked, measure_each, placed
from ..runs import Run, create_run, recording, rep_names
from ..stats import summarize, summarize_over
from ..targets.target import Target
from .docker import ollama_container
from .engines import LlamaCppEngine, OllamaEngine, resolve_gguf
from .params import PROMPTS, LlmParams
from .record import Generation
from .roofline import measure_bandwidth, roofline
from .throughput import run_rep

Say = Callable[[str], None]


def ollama_host(p: LlmParams) -> str:
    return p.host or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434"


def summarize_gens(gens: list[Generation]) -> dict[str, Any]:
    """Over loads (a load's requests are not independent): each load's median request."""
    measured = [g for g in gens if not g.warmup]
    loads = list(dict.fromkeys(g.rep for g in measured))

    def over(attr: str) -> dict[str, Any]:
        return summarize_over([[getattr(g, attr) for g in measured if g.rep == r] for r in loads])

    return {
        "requests": len(measured),
        "eval_tokens_per_s": over("eval_tokens_per_s"),
        "prompt_tokens_per_s": over("prompt_tokens_per_s"),
        "ttft_s": over("ttft_s"),
        "load_s": summarize([g.load_s for g in gens if g.cold]),
    }


def _measure(
    run: Run,
    label: str,
    device: str,
    make_engine: Callable[[], Any],
    p: LlmParams,
    say: Say,
    cache_paths: list[Path] | None = None,
    backing: list[Path] | None = None,
) -> list[Generation]:
    prompts = list(PROMPTS[: p.prompts])
    gens: list[Generation] = []
    # a warm-up rep first: its load pays the engine's one-time start-up
    for rep in rep_names(p.reps, p.warmup):
        with step(label, f"load and generate ({device})", rep):
            load_s, got = _rep(
                run, label, device, make_engine, p, rep, prompts, cache_paths, backing
            )
        gens += got
        tps = [g.eval_tokens_per_s for g in got if not g.warmup and g.eval_tokens_per_s]
        rate = f"{sum(tps) / len(tps):.1f} tokens/s" if tps else "warm-up, discarded"
        kind = "cold" if got and got[0].cold else "warm"
        load = f"{load_s:.2f} s" if load_s is not None else "not reported"
        say(f"  {label}/{device} {rep}: {kind} load {load}, {rate}")
    return gens


def _rep(
    run: Run,
    label: str,
    device: str,
    make_engine: Callable[[], Any],
    p: LlmParams,
    rep: str,
    prompts: list[str],
    cache_paths: list[Path] | None,
    backing: list[Path] | None,
) -> tuple[float | None, list[Generation]]:
    """One cold load, then the prompt set."""
    engine = make_engine()
    return run_rep(
        engine,
        rep,
        prompts,
        p.max_tokens,
        p.seed,
        p.warmup_requests,
        run.file(label, f"responses-{device}-{rep}.jsonl"),
        placement=label,
        # unloaded by the engine, then made cold and checked (a server's files we cannot
        # see are cold only when the whole page cache could be dropped)
        before_load=lambda: make_cold(cache_paths or [], backing),
    )


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


def _llamacpp_target(run: Run, target: Target, p: LlmParams, bandwidth: float, say: Say) -> None:
    src = resolve_gguf(p.model)
    with placed(run, target, p.share_model) as place:
        checkpoint("setup")
        gguf = place.scratch / src.name
        shutil.copyfile(src, gguf)  # the model lives in the placement being measured
        gens = _measure(
            run,
            target.label,
            "cpu",
            lambda: LlamaCppEngine(gguf, p.threads, p.n_ctx),
            p,
            say,
            cache_paths=[place.scratch],
            backing=[place.behind] if target.fuse else None,
        )
        _finish_target(run, target.label, "cpu", gens, gguf.stat().st_size, bandwidth)
    run.set_target(target.label, status="complete")


def _ollama_devices(
    run: Run, label: str, url: str, p: LlmParams, bandwidth: float, say: Say
) -> None:
    for device in p.devices:
        probe = OllamaEngine(url, p.model, gpu=device == "gpu")
        probe.check()
        size = probe.info.get("size_bytes")
        probe.close()
        gens = _measure(
            run,
            label,
            device,
            lambda d=device: OllamaEngine(url, p.model, gpu=d == "gpu"),
            p,
            say,
        )
        bw = p.gpu_bandwidth_gbs * 1e9 if device == "gpu" else bandwidth
        _finish_target(run, label, device, gens, size, bw)


def _docker_target(run: Run, target: Target, p: LlmParams, bandwidth: float, say: Say) -> None:
    named = p.volume == "named"
    with placed(run, target, p.share_model) as place:
        name = f"wsl-lab-ollama-{run.run_id}-{target.label}".lower()
        with ollama_container(
            name,
            None if named else place.scratch,
            f"{name}-models" if named else None,
            p.image,
            run.run_id,
        ) as url:
            say(f"  {target.label}: pulling {p.model} into the container …")
            ollama.Client(host=url).pull(p.model)
            _ollama_devices(run, target.label, url, p, bandwidth, say)
    run.set_target(target.label, status="complete")


def preflight(p: LlmParams) -> None:
    """Everything that can be refused before a run directory exists."""
    if p.engine == "llamacpp":
        resolve_gguf(p.model)
    elif p.engine == "ollama":
        for device in p.devices:
            OllamaEngine(ollama_host(p), p.model, gpu=device == "gpu").check()
    else:
        docker_client("use --engine llamacpp")


def versions(p: LlmParams) -> dict[str, Any]:
    out = {"xllamacpp": version("xllamacpp"), "ollama-client": version("ollama")}
    if p.engine == "docker":
        out["image"] = p.image
    return out


def needed_bytes(p: LlmParams) -> int:
    """Free space a placement needs: the model file copied there, and room to spare."""
    return 2 * resolve_gguf(p.model).stat().st_size if p.engine == "llamacpp" else 0


def steps(p: LlmParams) -> list[Step]:
    """Per device, the warm-up and each cold load followed by the prompt set."""
    devices = ["cpu"] if p.engine == "llamacpp" else list(p.devices)
    return [
        Step(f"load and generate ({d})", rep, p.prompts * p.max_tokens)
        for d in devices
        for rep in rep_names(p.reps, p.warmup)
    ]


def run_llm(p: LlmParams, root: Path | None = None, say: Say = print) -> Run:
    """Cold loads and generations per placement (and device), with the roofline."""
    preflight(p)
    resolved = checked(p.targets, p.share_model, p.profile)
    placements = resolved.targets if p.engine != "ollama" else []
    run = create_run(
        "llm",
        {
            **as_dict(p),
            "targets": [str(t) for t in placements],
            "host": ollama_host(p) if p.engine == "ollama" else None,
            "prompt_texts": list(PROMPTS[: p.prompts]),
        },
        root,
        tools=versions(p),
    )
    with recording(run):
        say(f"run {run.run_id} → {run.path}")
        bandwidth = measure_bandwidth(p.bandwidth_mib)
        run.manifest["cpu_bandwidth_bps"] = bandwidth
        if p.engine == "ollama":
            run.set_target("server", status="running", url=ollama_host(p))
            try:
                _ollama_devices(run, "server", ollama_host(p), p, bandwidth, say)
            except ExperimentError as exc:  # e.g. the server died mid-run: keep what came
                run.set_target("server", status="failed", error=str(exc))
                say(f"  server: failed: {exc}")
                return run
            run.set_target("server", status="complete")
            return run
        measure = _llamacpp_target if p.engine == "llamacpp" else _docker_target
        resolved = replace(resolved, targets=placements)
        measure_each(
            run,
            resolved,
            needed_bytes(p),
            lambda t: measure(run, t, p, bandwidth, say),
            say,
            steps(p),
        )
    return run
