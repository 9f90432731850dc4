"""The experiment registry: every experiment declares itself once, in its own folder
(`analysis/<name>/spec.py`, an `EXPERIMENT`), and is listed once, below. The CLI's `run`
commands, `make experiments` (papermill), the notebooks' helpers, `make report` and the post
all read the registry; nothing else lists the experiments."""

from __future__ import annotations

import dataclasses
import importlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ParameterError
from .params import load

# the one list: an experiment's spec module per line, in the order they run and are reported
SPECS = (
    "analysis.disk.spec",
    "analysis.qdrant.spec",
    "analysis.llm.spec",
    "analysis.devloop.spec",
)


@dataclass(frozen=True)
class Fidelity:
    """How an experiment answers the fidelity table (analysis.report.fidelity), by headline key
    (analysis.headlines.WORKLOADS): the post's own slowdowns from its tidy table, and this
    host's real and simulated ones."""

    post: Callable[[Any], dict[str, tuple[Any, Any, bool]]]  # table -> key -> (low, high, bound)
    measured: Callable[[Any, str], dict[str, tuple[Any, Any, str]]]  # (table, host) -> (real,
    # simulated, what measured it)


@dataclass(frozen=True)
class Experiment:
    """What an experiment is, to everything that is not the experiment itself."""

    name: str  # `wsl-lab run <name>`, data/raw/<name>/, [<name>] in the profiles
    notebook: str  # notebooks/<notebook>
    params: type  # its frozen parameter dataclass, read from [<name>] of a profile
    runner: Callable[..., Any]  # (params, root=None, say=print) -> Run
    need: Callable[[Any], int]  # params -> bytes a target needs free before it is measured
    table: Callable[[list[Path]], Any]  # run dirs -> its tidy table (process.py)
    charts: Callable[[], tuple]  # its named figures (figures.CHARTS), in the post's order
    section: Callable[..., tuple[list[str], dict[str, float]]]  # the post's section
    cli: Callable[..., None]  # the typer command behind `wsl-lab run <name>`
    # (words, manifest parameters) -> (what ran and how big, the unit of a repetition,
    # repetitions, warm-ups): the post's "what the run was", in the experiment's own words
    describe: Callable[[dict, dict], tuple[str, str, int, int]] | None = None
    text: Callable[[], dict[str, dict[str, Any]]] = dict  # () -> lang -> key -> words
    notebook_overrides: dict[str, Any] = field(default_factory=dict)  # when a notebook measures
    fidelity: Fidelity | None = None  # its rows of the fidelity table, if the post has them
    # `wsl-lab <command>`: the commands that read its tools' saved outputs
    tools: dict[str, Callable[..., None]] = field(default_factory=dict)

    def load(self, profile: str, **overrides: Any) -> Any:
        """The profile's parameters for this experiment, typed and checked."""
        return load(self.params, profile, self.name, **overrides)

    def report(self, run_dirs: list[Path], **render: Any) -> tuple[Any, dict[str, Any]]:
        """The tidy table of the runs and every chart drawn from it, by name (`render`: the
        post's note and language for each figure, see `Chart.render`)."""
        table = self.table(run_dirs)
        return table, {c.name: c.render(table, run_dirs, **render) for c in self.charts()}

    def measure(self, profile: str, overrides: dict[str, Any] | None = None) -> Any:
        """One run with the profile's parameters on its targets; returns the Run."""
        return self.runner(self.load(profile, **(overrides or {})))


def declare(
    name: str,
    notebook: str,
    params: type,
    cli: Callable[..., None],
    fidelity: bool = False,
    **rest: Any,
) -> Experiment:
    """An experiment whose folder `analysis/<name>/` has the one shape: experiment.py
    (`run_<name>`, `needed_bytes`), process.py (`<name>_table`), figures.py (`CHARTS`),
    section.py (`section`, `TEXT`, `describe`) and, with fidelity rows, summary.py
    (`fidelity_post`, `fidelity_measured`). Each part is imported when first used."""
    pkg = f"analysis.{name}"
    rows = Fidelity(
        post=lazy(f"{pkg}.summary", "fidelity_post"),
        measured=lazy(f"{pkg}.summary", "fidelity_measured"),
    )
    return Experiment(
        name=name,
        notebook=notebook,
        params=params,
        runner=lazy(f"{pkg}.experiment", f"run_{name}"),
        need=lazy(f"{pkg}.experiment", "needed_bytes"),
        table=lazy(f"{pkg}.process", f"{name}_table"),
        charts=value(f"{pkg}.figures", "CHARTS"),
        section=lazy(f"{pkg}.section", "section"),
        text=value(f"{pkg}.section", "TEXT"),
        describe=lazy(f"{pkg}.section", "describe"),
        fidelity=rows if fidelity else None,
        cli=cli,
        **rest,
    )


def lazy(module: str, attr: str) -> Callable[..., Any]:
    """module.attr, imported when first called (`wsl-lab --help` stays quick)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), attr)(*args, **kwargs)

    return call


def value(module: str, attr: str) -> Callable[[], Any]:
    """module.attr, imported when first asked for."""
    return lambda: getattr(importlib.import_module(module), attr)


def experiments() -> dict[str, Experiment]:
    """Every registered experiment by name, in registry order."""
    found = [importlib.import_module(m).EXPERIMENT for m in SPECS]
    return {e.name: e for e in found}


def get(name: str) -> Experiment:
    registry = experiments()
    if name not in registry:
        raise ParameterError(f"no experiment {name!r}: choose one of {', '.join(registry)}")
    return registry[name]


def parse_sets(sets: list[str]) -> dict[str, dict[str, Any]]:
    """`EXP.KEY=VALUE` (VALUE as in TOML; bare words are text) into overrides per
    experiment; `disk.bonnie.size_mib=64` reaches a sub-table."""
    out: dict[str, dict[str, Any]] = {}
    for item in sets:
        name, eq, text = item.partition("=")
        keys = name.strip().split(".")
        if not eq or len(keys) < 2 or not all(keys):
            raise ParameterError(
                f"--set {item!r} is not EXPERIMENT.KEY=VALUE: e.g. --set disk.reps=1"
            )
        try:
            value = tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError:
            value = text
        node = out.setdefault(keys[0], {})
        for k in keys[1:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return out


def overrides_for(
    profile: str, reps: int | None, warmup: int | None, sets: list[str] | None
) -> dict[str, dict[str, Any]]:
    """Per experiment, the keys replaced for this run; each checked now, before any notebook
    starts, with the same messages as the profile's own keys."""
    registry = experiments()
    per = parse_sets(sets or [])
    unknown = sorted(set(per) - set(registry))
    if unknown:
        raise ParameterError(
            f"--set {unknown[0]}.…: no such experiment; known: {', '.join(registry)}"
        )
    out = {}
    for name, exp in registry.items():
        given = {**({"reps": reps} if reps is not None else {}), **per.get(name, {})}
        if warmup is not None and "warmup" in {f.name for f in dataclasses.fields(exp.params)}:
            given.setdefault("warmup", warmup)  # devloop has none: its first build is measured
        exp.load(profile, **given)
        out[name] = given
    return out
