"""Profiles (smoke, standard, blog): the files that hold every experiment's parameters
(typed and checked by `params.load`), and the notebooks' parameters cells."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from . import paths
from .errors import ParameterError

# the one list of profiles, smallest first. `default` is what `make experiments` runs: sized by
# the convergence study (benchmarks/convergence.py) so that its headline ratios agree with
# `standard`'s; `smoke` is for tests and a first look, and its sizes change the answer.
PROFILES = ("smoke", "default", "standard", "blog")
DEFAULT_PROFILE = "default"
FIRST_LOOK = "smoke"  # the profile whose answers are not to be trusted: said wherever printed


def profile_path(name: str) -> Path:
    return paths.CONFIG / f"{name}.toml"


def load_profile(name: str) -> dict[str, dict[str, Any]]:
    """All sections of one profile file, `config/<name>.toml`."""
    if name not in PROFILES:
        raise ParameterError(f"unknown profile {name!r}: choose one of {', '.join(PROFILES)}")
    path = paths.CONFIG / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ParameterError(f"profile file {path} is missing: restore it from git") from None
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"profile file {path} is not valid TOML: {exc}") from None


def profile_note(name: str) -> str:
    """What a profile is for, in one line: its file's first comment (`smoke: for tests …`)."""
    first = profile_path(name).read_text(encoding="utf-8").splitlines()[0]
    return f"profile {first.lstrip('# ').strip()}"


def notebook_parameters(notebook: Path) -> dict[str, str]:
    """Names in a notebook's one `parameters` cell (as papermill reads them) and defaults."""
    import papermill as pm  # lazy: papermill (seconds) only when notebooks are read

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(
            f"{notebook} must have exactly one 'parameters' cell, has {len(cells)}"
        )
    return {name: p["default"] for name, p in pm.inspect_notebook(str(notebook)).items()}


def check_notebook_parameters(notebook: Path, params: dict[str, Any]) -> None:
    """papermill only warns on an unknown parameter: fail instead, naming the typo."""
    known = notebook_parameters(notebook)
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise ParameterError(
            f"{notebook.name} has no parameter(s) {', '.join(unknown)}: "
            f"it takes {', '.join(sorted(known))}"
        )
