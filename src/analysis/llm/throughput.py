"""The protocol: load cold, warm up (discarded), then the fixed prompt set, N times."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..faults import checkpoint
from .engines import Engine
from .record import Generation


def run_rep(
    engine: Engine,
    rep: str,
    prompts: list[str],
    max_tokens: int,
    seed: int,
    warmup: int,
    out: Path,
    placement: str = "",
    before_load: Callable[[], dict] | None = None,
) -> tuple[float | None, list[Generation]]:
    """One repetition: a load made cold (and checked), warm-up requests, the prompt set."""
    cold = before_load() if before_load else {"cache_drop": None, "cold": False}
    load_s = engine.load()
    try:
        return load_s, _requests(
            engine, rep, prompts, max_tokens, seed, warmup, out, placement, load_s, cold
        )
    finally:
        engine.close()  # also on Ctrl-C: the model file must not stay open (mmap)


def _requests(
    engine: Engine,
    rep: str,
    prompts: list[str],
    max_tokens: int,
    seed: int,
    warmup: int,
    out: Path,
    placement: str,
    load_s: float | None,
    cold: dict,
) -> list[Generation]:
    checkpoint("tool")
    gens: list[Generation] = []
    plan = [(-1, prompts[0], True)] * warmup + [(i, p, False) for i, p in enumerate(prompts)]
    with out.open("a", encoding="utf-8") as fh:
        for k, (pid, prompt, is_warmup) in enumerate(plan):
            g = engine.generate(prompt, max_tokens, seed)
            is_warmup = is_warmup or rep.startswith("w")  # a warm-up rep is discarded whole
            g.rep, g.prompt_id, g.warmup, g.placement = rep, pid, is_warmup, placement
            if k == 0:  # the first request after a load carries that load, for every engine
                # cold only when the cache was dropped and checked; otherwise a warm load
                g.cold = not rep.startswith("w") and bool(cold.get("cold"))
                g.cache_drop, g.resident_pct = cold.get("cache_drop"), cold.get("resident_pct")
                if g.total_s is not None and load_s is not None:
                    g.total_s += load_s - (g.load_s or 0.0)
                g.load_s = load_s
            final = g.extra.pop("final", {})
            fh.write(
                json.dumps(
                    {
                        "rep": rep,
                        "prompt_id": pid,
                        "warmup": is_warmup,
                        "ttft_s": g.ttft_s,
                        "wall_s": g.wall_s,
                        "load_s": load_s,
                        "cold": cold if k == 0 else None,
                        "response": final,
                    }
                )
                + "\n"
            )
            gens.append(g)
    return gens
