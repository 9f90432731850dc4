"""Real generations with llama.cpp in-process (xllamacpp) and the bundled SmolLM2-135M."""

import json

import pytest

from analysis.llm.engines import LlamaCppEngine, bundled_gguf
from analysis.share.mount import fuse_available

from ..conftest import run_cli

pytestmark = [pytest.mark.integration]


def test_real_generation_counts_and_durations():
    engine = LlamaCppEngine(bundled_gguf(), threads=2, n_ctx=256)
    load = engine.load()
    g = engine.generate("Where should Docker volumes live?", max_tokens=8, seed=1)
    g2 = engine.generate("Where should Docker volumes live?", max_tokens=8, seed=1)
    engine.close()
    assert load > 0 and g.load_s is None  # no load in this request: none is made up
    # the engine's count against one made on our side: a streamed chunk per token
    assert g.generated_tokens == 8 == g.extra["streamed_chunks"] and g.prompt_tokens > 0
    # the engine's own durations against the harness's clock: inside the wall time, and
    # most of it (the rest is the request's own overhead)
    engine_s = g.prompt_eval_s + g.eval_s
    assert 0.3 * g.wall_s < engine_s <= g.wall_s * 1.02
    assert g.prompt_eval_s * 0.5 <= g.ttft_s < g.wall_s  # the first token follows the prompt
    assert g.quantization == "Q4_1" and g.size_bytes > 10**7
    assert g.extra["final"]["choices"][0]["text"] == g2.extra["final"]["choices"][0]["text"]


@pytest.mark.skipif(fuse_available() is not None, reason=f"{fuse_available()}")
def test_smoke_run_native_and_share(tmp_path, cache_home):
    root = tmp_path / "raw"
    done = run_cli(
        "run",
        "llm",
        "--profile",
        "smoke",
        "--max-tokens",
        "4",  # smoke's 16 only take longer: loads, counts and the roofline are the same
        "--root",
        str(root),
        env={"WSL_LAB_CACHE": str(cache_home)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (run_dir,) = (root / "llm").iterdir()
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["status"] == "complete" and m["cpu_bandwidth_bps"] > 1e8
    for label in ("native", "share"):
        cpu = m["targets"][label]["devices"]["cpu"]
        assert cpu["requests"] == m["parameters"]["reps"] * m["parameters"]["prompts"]
        assert cpu["eval_tokens_per_s"]["median"] > 0 and cpu["load_s"]["n"] == 2
        roof = cpu["roofline"]
        # every token reads every weight: above the bandwidth bound would be a wrong bound
        assert 0 < roof["fraction"] <= 1.0
        lines = (run_dir / label / "responses-cpu-r1.jsonl").read_text().splitlines()
        assert len(lines) == m["parameters"]["warmup_requests"] + m["parameters"]["prompts"]
        assert "timings" in json.loads(lines[-1])["response"]
    assert m["targets"]["share"]["fstype"] == "fuse.wsl-lab"
    first = json.loads((run_dir / "share" / "responses-cpu-r1.jsonl").read_text().splitlines()[0])
    # the load was made cold and that was checked: on both sides of the share
    assert first["cold"]["cold"] is True and first["cold"]["resident_pct"] <= 5
    assert first["cold"]["backing_resident_pct"] <= 5
