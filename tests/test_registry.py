"""The experiment registry: every experiment declared once, reachable from every entry point."""

from __future__ import annotations

import pytest

from analysis import config, paths
from analysis.cli import run_app
from analysis.errors import ParameterError
from analysis.experiments import SPECS, experiments, get

SRC = paths.ROOT / "src" / "analysis"


def test_every_experiment_folder_is_declared_once():
    """A folder with an experiment.py and no registry line fails here."""
    folders = {p.parent.name for p in SRC.glob("*/experiment.py")}
    assert folders == set(experiments())
    assert len(SPECS) == len(set(SPECS)) == len(folders)


@pytest.mark.parametrize("name", list(experiments()))
def test_each_experiment_is_reachable_everywhere(name):
    exp = get(name)
    assert (paths.NOTEBOOKS / exp.notebook).is_file()  # papermill and nbval
    assert config.notebook_parameters(paths.NOTEBOOKS / exp.notebook)["profile"]
    assert name in {c.name for c in run_app.registered_commands}  # the CLI
    for profile in config.PROFILES:  # every profile has its section
        assert name in config.load_profile(profile), (profile, name)
    assert callable(exp.table) and callable(exp.section) and callable(exp.measure)
    assert exp.charts()  # its named figures


def test_unknown_experiment_is_one_clear_line():
    with pytest.raises(ParameterError, match="choose one of disk, qdrant, llm"):
        get("nope")


@pytest.mark.parametrize("name", list(experiments()))
def test_each_experiment_brings_its_words_in_every_language(name):
    """The post's section of an experiment is worded in its own folder, in both languages."""
    from analysis.report.text import LANGS, T

    exp = get(name)
    assert (SRC / name / "section.py").is_file()
    assert set(exp.text()) == set(LANGS)
    keys = [set(exp.text()[lang]) for lang in LANGS]
    assert keys[0] == keys[1] and keys[0]
    assert not keys[0] & set(T[LANGS[0]])  # not also in the post's shared words


@pytest.mark.parametrize("name", list(experiments()))
def test_each_chart_is_named_once_with_its_caption(name):
    """A figure's name is typed in its experiment's figures.py only: the report, the post and
    the notebook take it from there."""
    import importlib

    figures = importlib.import_module(f"analysis.{name}.figures")
    names = [c.name for c in figures.CHARTS]
    assert names and len(names) == len(set(names))
    for words in get(name).text().values():
        assert all(c.caption in words for c in figures.CHARTS)
    elsewhere = [*SRC.rglob("*.py"), *paths.NOTEBOOKS.glob("*.ipynb")]
    for path in elsewhere:
        if path == SRC / name / "figures.py":
            continue
        text = path.read_text(encoding="utf-8")
        typed = [n for n in names if f'"{n}"' in text or f'\\"{n}\\"' in text]
        assert not typed, f"{path.relative_to(paths.ROOT)} types {typed}"
