import json

import pytest

from analysis.errors import ParseError
from analysis.llm.record import Generation, read_ollama_responses

from .conftest import FIXTURES, cli


def test_non_streamed_response():
    (r,) = read_ollama_responses(FIXTURES / "ollama-generate.json")
    assert r["eval_tokens_per_s"] == pytest.approx(22 / 2.071)
    assert r["prompt_tokens_per_s"] == pytest.approx(31 / 0.046)
    assert r["load_s"] == pytest.approx(0.023875208)
    assert r["total_s"] == pytest.approx(2.143917333)


def test_saved_stream_gives_one_row_per_final_chunk():
    rows = read_ollama_responses(FIXTURES / "ollama-stream.jsonl")
    assert [r["eval_count"] for r in rows] == [8, 5]
    assert rows[0]["line"] == 9
    assert rows[1]["load_s"] == pytest.approx(4.2)


def test_cli_json_keys():
    done = cli("ollama-stats", str(FIXTURES / "ollama-stream.jsonl"), "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    for key in ("eval_tokens_per_s", "prompt_tokens_per_s", "load_s", "total_s"):
        assert key in rows[0]
    assert rows[0]["eval_tokens_per_s"] == pytest.approx(8 / 0.76)


def test_cut_stream_and_garbage(tmp_path):
    lines = (FIXTURES / "ollama-stream.jsonl").read_text().splitlines()[:5]
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines) + "\n")
    with pytest.raises(ParseError, match="no final Ollama response"):
        read_ollama_responses(cut)
    half = tmp_path / "half.jsonl"
    half.write_text(lines[0] + "\n" + lines[1][:20] + "\n")
    with pytest.raises(ParseError, match=r"half.jsonl:2: not JSON"):
        read_ollama_responses(half)
    err = tmp_path / "err.json"
    err.write_text('{"error": "model \\"x\\" not found, try pulling it first"}')
    done = cli("ollama-stats", str(err))
    assert done.returncode == 2 and "Ollama returned an error" in done.stderr


def test_generation_rates_are_tokens_over_seconds():
    g = Generation(
        "x",
        "m",
        prompt_tokens=10,
        generated_tokens=32,
        prompt_eval_s=0.5,
        eval_s=2.0,
        load_s=0,
        ttft_s=0.6,
        total_s=2.5,
    )
    assert g.eval_tokens_per_s == 16 and g.prompt_tokens_per_s == 20
    assert Generation("x", "m", 1, 1, 0, 0.0000001, 0, None, 0).eval_tokens_per_s is None
