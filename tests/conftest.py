"""Shared fixtures: a private cache home (targets, mount points) and the CLI as a subprocess."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from analysis import paths
from analysis.runs import MANIFEST, SEAL, seal_of, write_json_atomic

ROOT = paths.ROOT
FIXTURES = Path(__file__).parent / "fixtures"


def _real_tools_missing() -> list[str]:
    """The real parts the tests run; on CI a missing one fails the run instead of skipping."""
    import shutil

    from analysis.report import site
    from analysis.share.mount import fuse_available

    missing = [t for t in ("bonnie++", "fio", "bindfs", "jekyll", "git") if not shutil.which(t)]
    reason = fuse_available("bindfs")
    if reason and "bindfs" not in reason:
        missing.append(f"FUSE ({reason})")
    if not Path(site.BROWSER).exists():
        missing.append(f"chromium ({site.BROWSER})")
    from .integration import dockerd

    if dockerd.missing():  # the audit's tests run a private engine: .ci/run installs it
        missing.append(f"a private Docker engine ({dockerd.missing()})")
    return missing


def pytest_sessionstart(session: pytest.Session) -> None:
    # pytest counts a skip as a pass: on CI, a test that could not run its real tool must fail
    if os.environ.get("CI"):
        missing = _real_tools_missing()
        if missing:
            pytest.exit(
                f"CI: {', '.join(missing)} missing, so tests of the real tools would only skip: "
                "run scripts/setup.sh (make setup)",
                returncode=3,
            )


# The smoke profile made smaller still, for runs whose point is what an interrupt or a kill
# leaves behind, not what they measure: every tool still runs on every target, briefly.
# A profile of its own would be `config/tiny.toml` listed in config.PROFILES; until then the
# runs get it as the smoke profile of a project root of their own (WSL_LAB_ROOT, the hook
# the `wsl-lab experiments` tests use too).
TINY = {
    "disk": {"reps": 1, "warmup": 0},
    "disk.bonnie": {"size_mib": 4, "ram_mib": 2, "files": 1},
    "disk.fio": {"size_mib": 1, "byte_kib": 4, "nrfiles": 20, "runtime_s": 0},  # 0: whole file
    "qdrant": {
        "records": 200,
        "dim": 16,
        "sample": 10,
        "collections": ["b2e-knowledge", "erp-shop-qa"],
    },  # fmt: skip
    "llm": {
        "prompts": 1,
        "max_tokens": 2,
        "reps": 1,
        "warmup": 0,
        "warmup_requests": 0,
        "bandwidth_mib": 16,
        "n_ctx": 256,
    },  # fmt: skip
    "devloop": {"posts": 3, "words": 50, "watch": ["events"], "change_timeout_s": 2.0},
}


def _toml(tables: dict[str, dict]) -> str:
    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        import json

        return json.dumps(v, ensure_ascii=False)  # numbers, and strings as TOML reads them

    out = ["# smoke, made tiny by tests/conftest.py: for fault tests only"]
    for name, table in tables.items():
        out.append(f"\n[{name}]")
        out += [f"{k} = {value(v)}" for k, v in table.items() if not isinstance(v, dict)]
        for sub, inner in table.items():
            if isinstance(inner, dict):
                out.append(f"\n[{name}.{sub}]")
                out += [f"{k} = {value(v)}" for k, v in inner.items()]
    return "\n".join(out) + "\n"


def make_smoke_tiny(config: Path) -> None:
    """config/smoke.toml of a project root of its own: smoke with TINY's values."""
    import tomllib

    with (paths.CONFIG / "smoke.toml").open("rb") as fh:
        profile = tomllib.load(fh)
    for dotted, values in TINY.items():
        table = profile
        for part in dotted.split("."):
            table = table[part]
        assert set(values) <= set(table), f"TINY names keys smoke.toml lacks: {dotted}"
        table.update(values)
    (config / "smoke.toml").write_text(_toml(profile))


@pytest.fixture
def tiny(tmp_path_factory, monkeypatch) -> Path:
    """Runs started from here on (`--profile smoke`) get TINY: a project root whose
    config/smoke.toml is smoke with TINY's values, named by WSL_LAB_ROOT."""
    import shutil

    root = tmp_path_factory.mktemp("tiny-project")
    shutil.copytree(paths.CONFIG, root / "config")
    (root / "pyproject.toml").write_text("")
    make_smoke_tiny(root / "config")
    monkeypatch.setenv("WSL_LAB_ROOT", str(root))
    return root


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "cache"
    home.mkdir()
    monkeypatch.setenv("WSL_LAB_CACHE", str(home))
    return home


def run_cli(
    *args: str, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """`wsl-lab ARGS` in a fresh interpreter, as a user runs it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "analysis.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=ROOT,
    )


def cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`wsl-lab ARGS` in this process (typer's CliRunner on the same `app`), from the project
    root as run_cli runs it (or from cwd): for a command's one-line answers, without a fresh
    interpreter's start-up each time. An exception the command did not turn into its exit
    status is raised here, so a traceback a user would see fails the test. What needs its own
    process (signals, a run's children, start-up itself) keeps run_cli."""
    from typer.testing import CliRunner

    from analysis.cli import app

    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=True)
    finally:
        os.chdir(here)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(
        ["wsl-lab", *args], result.exit_code, result.stdout, result.stderr
    )


def is_root() -> bool:
    return os.geteuid() == 0


needs_root = pytest.mark.skipif(not is_root(), reason="needs root (mounts a small tmpfs)")


@contextlib.contextmanager
def small_tmpfs(where: Path, size: str):
    """A real small file system (a tmpfs of size, no loop device) at where, for the block."""
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


@pytest.fixture
def sample_raw(tmp_path) -> Path:
    """A private copy of the committed sample runs, as a data/raw to report from."""
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(paths.SAMPLE / "raw", raw)
    return raw


@dataclass
class SampleBuild:
    """The report of the committed sample runs, as `make report` builds it."""

    out: Path  # reports/ and processed/ are under it
    raw: Path  # the private copy of the sample it was built from
    built: dict  # what build_report returned
    text: str  # the post


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Callable[[str], SampleBuild]:
    """The unmodified sample's report, built once per language for the whole session (each
    build draws every figure): for the tests that only read it. Tests that change a run
    before building still build their own."""
    import shutil

    builds: dict[str, SampleBuild] = {}

    def build(lang: str = "zh-TW") -> SampleBuild:
        if lang not in builds:
            out = tmp_path_factory.mktemp(f"sample-report-{lang}")
            raw = out / "raw"
            shutil.copytree(paths.SAMPLE / "raw", raw)
            built = report_into(raw, out, date(2026, 11, 28), lang)
            builds[lang] = SampleBuild(out, raw, built, built["post"].read_text())
        return builds[lang]

    return build


def write_manifest(run_dir: Path, m: dict) -> None:
    """A stand-in run's manifest (another machine's, another measurement), written as a run
    would write it: sealed unless it is still running."""
    m = {k: v for k, v in m.items() if k not in (SEAL, "_path")}
    if m.get("status") != "running":
        m[SEAL] = seal_of(m)
    write_json_atomic(run_dir / MANIFEST, m)


def report_into(raw: Path, out: Path, day: date, lang: str | None = None) -> dict:
    """What `make report` makes from these runs, built into out (reports/, processed/)."""
    # lazy: papermill and matplotlib only for the tests that build a report, not at collection
    from analysis.pipeline import build_report

    return build_report(raw, day=day, say=lambda s: None, reports=out / "reports",
                        processed=out / "processed", lang=lang)  # fmt: skip


def build_post(raw: Path, out: Path, lang: str = "zh-TW") -> str:
    """The post `make report` writes from these runs, built into out; its text."""
    return report_into(raw, out, date(2026, 12, 6), lang)["post"].read_text()
