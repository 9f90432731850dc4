"""The zh-TW post speaks Chinese: no English left from a template outside code, paths, links
and the names the glossary keeps."""

import re
import tomllib

from analysis import paths

GLOSSARY = paths.ROOT / "src" / "analysis" / "report" / "glossary.toml"


def _allowed() -> set[str]:
    g = tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))
    words = set()
    for term in g["keep"] + g["names"] + g["units"]:
        words.update(term.split())
    return words


def prose(markdown: str) -> str:
    """What a reader reads as words: no front matter, code, links' targets, images or
    comments (a path or a command there is not prose)."""
    body = markdown.split("---\n", 2)[2]
    body = re.sub(r"```.*?```", " ", body, flags=re.S)
    body = re.sub(r"`[^`]*`", " ", body)
    body = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", body)
    body = re.sub(r"\]\([^)]*\)", "]", body)
    return re.sub(r"<!--.*?-->", " ", body)


def english_left(markdown: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z0-9_.+/-]*", prose(markdown))
    allowed = _allowed()
    return sorted({w.rstrip(".") for w in words if w.rstrip(".") not in allowed})


def test_the_zh_post_has_no_english_left_from_a_template(sample_build):
    text = sample_build().text
    for phrase in ("simulated share", "median on", "native/share", "cold start"):
        assert phrase not in prose(text), phrase
    assert english_left(text) == []


def test_the_scan_finds_a_phrase_left_in_english():
    post = "---\ntitle: x\n---\n共享目錄為 simulated share，模型 `wsl2-9p`（Docker volume）。\n"
    assert english_left(post) == ["share", "simulated"]


def test_the_zh_figures_speak_chinese_and_say_what_the_run_was():
    from analysis.experiments import experiments
    from analysis.pipeline import select_runs_for_report
    from analysis.plots import texts
    from analysis.report.post import figure_note, figure_phrases, words

    raw = paths.SAMPLE / "raw"
    chosen = select_runs_for_report(raw, say=lambda s: None)
    t, phrases = words("zh-TW"), figure_phrases("zh-TW")
    allowed = _allowed() | {"vm"}  # the sample's host name
    for name, dirs in chosen.items():
        exp = experiments()[name]
        note = figure_note(t, exp, dirs)
        assert "profile" in note, note
        _table, figs = exp.report(dirs, note=note, phrases=phrases, cjk=True)
        for chart, fig in figs.items():
            seen = [x.get_text() for x in texts(fig)]
            assert note in seen, chart  # what the run was, on every figure
            words_left = {
                w
                for s in seen
                if not s.startswith("$")  # tick labels in mathtext
                for w in re.findall(r"[A-Za-z][A-Za-z0-9_.+/-]*", re.sub(r"~?/[\w./-]+", " ", s))
                if not re.search(r"[_-]", w)  # identifiers: job and collection names
            }
            assert words_left <= allowed, (chart, sorted(words_left - allowed))
            fig.clf()
