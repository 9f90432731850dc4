"""Parsers fuzzed: random, truncated and mutated input gives a result or our ParseError."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.disk import bonnie, fio
from analysis.errors import ParseError
from analysis.llm.record import parse_ollama_text
from analysis.qdrant.logs import startup_summary

FIX = Path(__file__).parents[1] / "fixtures"
BONNIE = (paths.REFERENCE / "bonnie-share-mnt-c-temp.txt").read_text()
BONNIE_LINE = BONNIE.splitlines()[-1]
FIO = (FIX / "fio-native-smoke.json").read_text()
QLOG = (paths.REFERENCE / "qdrant-startup-mnt-c.log").read_text()
OLLAMA = (FIX / "ollama-stream.jsonl").read_text()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ok_or_parse_error(fn, text):
    try:
        return fn(text)
    except ParseError:
        return None


@SETTINGS
@given(st.text(max_size=400))
def test_random_text_never_crashes(text):
    for fn in (bonnie.parse_text, fio.parse_text, startup_summary, parse_ollama_text):
        _ok_or_parse_error(fn, text)


@SETTINGS
@given(st.integers(min_value=0, max_value=len(BONNIE)))
def test_truncated_bonnie(n):
    rows = _ok_or_parse_error(bonnie.parse_text, BONNIE[:n])
    for r in rows or []:
        assert r["value"] is None or r["value"] > 0  # the post's row has no zero anywhere


@SETTINGS
@given(st.integers(min_value=0, max_value=49), st.text(max_size=8))
def test_mutated_bonnie_field_is_read_or_refused(i, junk):
    fields = BONNIE_LINE.split(",")
    fields[i] = junk.replace(",", "").replace("\n", "")
    rows = _ok_or_parse_error(lambda t: bonnie.parse_line(t), ",".join(fields))
    for k, r in enumerate(rows or []):
        raw = fields[9 + 2 * k if k < 6 else 26 + 2 * (k - 6)].strip()
        if r["too_fast"]:
            assert r["value"] is None and set(raw) == {"+"}  # never a number, let alone 0
        elif r["value"] is None:
            assert raw == ""  # only an empty field means "not run"
        else:
            assert r["value"] == float(raw)  # a zero only where the field says zero


@SETTINGS
@given(st.integers(min_value=0, max_value=len(FIO)))
def test_truncated_fio(n):
    rows = _ok_or_parse_error(fio.parse_text, FIO[:n])
    for r in rows or []:
        assert r["iops"] > 0 and r["bw_kib_s"] >= 0


@SETTINGS
@given(st.integers(min_value=0, max_value=len(FIO) - 1), st.characters())
def test_mutated_fio(i, ch):
    _ok_or_parse_error(fio.parse_text, FIO[:i] + ch + FIO[i + 1 :])


@SETTINGS
@given(st.integers(min_value=0, max_value=len(QLOG)), st.integers(0, 200), st.text(max_size=5))
def test_truncated_and_mutated_qdrant_log(n, i, junk):
    text = QLOG[:n]
    text = text[:i] + junk + text[i + len(junk) :]
    s = _ok_or_parse_error(startup_summary, text)
    if s is not None:
        assert s["ready"] is (s["total_s"] is not None) or s["total_s"] is None
        for c in s["collections"]:
            assert c["load_s"] is None or isinstance(c["load_s"], float)


@SETTINGS
@given(st.integers(min_value=0, max_value=len(OLLAMA)), st.integers(0, 400), st.characters())
def test_truncated_and_mutated_ollama(n, i, ch):
    text = OLLAMA[:n]
    text = text[:i] + ch + text[i + 1 :]
    rows = _ok_or_parse_error(parse_ollama_text, text)
    for r in rows or []:
        for key in ("eval_tokens_per_s", "prompt_tokens_per_s"):
            assert r[key] is None or r[key] > 0  # never a silent 0
