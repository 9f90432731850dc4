"""Every path the project uses, in one place (notebooks never resolve paths themselves)."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("WSL_LAB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "config").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT = _find_root()
CONFIG = ROOT / "config"
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "data"
RAW = DATA / "raw"
REFERENCE = RAW / "reference"
PROCESSED = DATA / "processed"
SAMPLE = DATA / "sample"
REPORTS = ROOT / "reports"
FIGURES = REPORTS / "figures"


def raw_root(source: str = "raw") -> Path:
    """`raw` is this machine's measurements; `sample` the committed sample the tests use."""
    if source == "raw":
        return RAW
    if source == "sample":
        return SAMPLE / "raw"
    return Path(source).expanduser().resolve()


def _beside(source: str, raw: Path, sample: Path, name: str) -> Path:
    """Derived output of a source: ours, the sample's, or next to a user's own raw folder."""
    if source == "raw":
        return raw
    if source == "sample":
        return sample
    return Path(source).expanduser().resolve().parent / name


def processed_root(source: str = "raw") -> Path:
    return _beside(source, PROCESSED, SAMPLE / "processed", "processed")


def figures_root(source: str = "raw") -> Path:
    return _beside(source, FIGURES, SAMPLE / "figures", "figures")


def cache_home() -> Path:
    """Default home of native targets and mount points: outside the repository and its data/."""
    if os.environ.get("WSL_LAB_CACHE"):
        return Path(os.environ["WSL_LAB_CACHE"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "wsl-lab"
