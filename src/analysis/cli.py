"""The `wsl-lab` command: run experiments, read tools' outputs, list runs."""

from __future__ import annotations

import csv
import functools
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import config, paths
from .errors import ExperimentError

app = typer.Typer(
    help="Where should my files, Docker volumes and models live? Measure it on this machine.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
run_app = typer.Typer(
    help="Measure one experiment; results go to data/raw/<experiment>/<run-id>/.",
    no_args_is_help=True,
)
app.add_typer(run_app, name="run")


class Profile(StrEnum):
    smoke = "smoke"
    standard = "standard"
    blog = "blog"


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


ProfileOpt = Annotated[Profile, typer.Option(help="Parameter set from config/<profile>.toml.")]
TargetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        help="LABEL=PATH to measure (repeatable); LABEL=fuse:PATH measures "
        "PATH through a simulated cross-OS share (see --share-model). Default: a native "
        "directory under ~/.cache/wsl-lab and its simulated share.",
    ),
]
RootOpt = Annotated[Path | None, typer.Option(help="Where runs are written. Default: data/raw.")]
ShareModelOpt = Annotated[
    str | None,
    typer.Option(
        help="How LABEL=fuse:PATH targets behave: a model in config/shares/ (wsl2-9p, "
        "bindfs-nocache, your calibrated ones) or a .toml file. Default: profile's (wsl2-9p)."
    ),
]


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Project errors become one line and exit 2; Ctrl-C or SIGTERM exit 130, never a trace."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ExperimentError as exc:
            typer.echo(f"wsl-lab: error: {exc}", err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("wsl-lab: interrupted; the run is marked 'interrupted'", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # output piped into `head` and the like
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None

    return wrapper


def _print_rows(rows: list[dict], fmt: Format, columns: list[str]) -> None:
    if fmt is Format.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt is Format.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    else:
        widths = {c: max(len(c), *(len(_cell(r.get(c))) for r in rows)) for c in columns}
        typer.echo("  ".join(c.ljust(widths[c]) for c in columns))
        for r in rows:
            typer.echo("  ".join(_cell(r.get(c)).ljust(widths[c]) for c in columns))


def _cell(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


@run_app.command("disk")
@guarded
def run_disk_cmd(
    profile: ProfileOpt = Profile.smoke,
    target: TargetOpt = None,
    reps: Annotated[
        int | None, typer.Option(help="Repetitions per target. Default: profile's.")
    ] = None,
    tools: Annotated[
        str | None, typer.Option(help="Comma list of bonnie,fio. Default: both.")
    ] = None,
    share_model: ShareModelOpt = None,
    root: RootOpt = None,
) -> None:
    """Bonnie++ and fio on each target: native disk vs a (simulated) cross-OS share."""
    from .disk.experiment import run_disk
    from .targets import targets_of

    params = config.experiment_params(
        profile.value,
        "disk",
        reps=reps,
        share_model=share_model,
        tools=[t.strip() for t in tools.split(",")] if tools else None,
    )
    params, targets = targets_of(params, target)
    run = run_disk(params, targets, root, say=typer.echo)
    _report_run(run.manifest, run.path)


def _report_run(manifest: dict, path: Path) -> None:
    failed = {k: v for k, v in manifest["targets"].items() if v.get("status") != "complete"}
    typer.echo(f"{manifest['status']}: {path}")
    for label, t in failed.items():
        errors = [r["error"] for r in t.get("results", []) if r.get("error")]
        typer.echo(
            f"  {label}: {t.get('status')}: {t.get('error') or '; '.join(errors)}", err=True
        )
    if manifest["status"] != "complete" or failed:
        raise typer.Exit(1)


class Backend(StrEnum):
    edge = "edge"
    docker = "docker"
    url = "url"


@run_app.command("qdrant")
@guarded
def run_qdrant_cmd(
    profile: ProfileOpt = Profile.smoke,
    backend: Annotated[
        Backend,
        typer.Option(
            help="edge: Qdrant's engine in-process (no server); docker: the qdrant image with its "
            "storage on each target; url: your own server (no restart)."
        ),
    ] = Backend.edge,
    target: TargetOpt = None,
    records: Annotated[
        int | None,
        typer.Option(help="Records in all. Default: profile's (smoke 2000, standard/blog 40000)."),
    ] = None,
    dim: Annotated[int | None, typer.Option(help="Vector dimension. Default: profile's.")] = None,
    reps: Annotated[int | None, typer.Option(help="Cold starts per placement.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Records per upsert.")] = None,
    url: Annotated[str | None, typer.Option(help="Server URL for --backend url.")] = None,
    embed_model: Annotated[
        str | None,
        typer.Option(
            help="Ollama embedding model for real vectors (e.g. nomic-embed-text); "
            "the ingest then waits on embeddings, as the post's did. Default: "
            "seeded vectors."
        ),
    ] = None,
    embed_host: Annotated[
        str | None,
        typer.Option(
            help="Ollama URL for --embed-model. Default: $OLLAMA_HOST or http://127.0.0.1:11434."
        ),
    ] = None,
    volume: Annotated[
        str | None,
        typer.Option(
            help="--backend docker: bind (storage in each target) or named (a Docker volume)."
        ),
    ] = None,
    share_model: ShareModelOpt = None,
    root: RootOpt = None,
) -> None:
    """Ingest ~40,000 Kernel-Memory-shaped records, restart cold, check nothing was lost."""
    from .qdrant.experiment import run_qdrant
    from .targets import targets_of

    params = config.experiment_params(
        profile.value,
        "qdrant",
        backend=backend.value,
        records=records,
        dim=dim,
        reps=reps,
        batch_size=batch_size,
        url=url,
        volume=volume,
        embed_model=embed_model,
        embed_host=embed_host,
        share_model=share_model,
    )
    params, targets = targets_of(params, target)
    run = run_qdrant(params, targets, root, say=typer.echo)
    lost = [
        f"{k}: {c['data_loss']}"
        for k, t in run.manifest["targets"].items()
        for c in t.get("cold_starts", [])
        if c.get("data_loss")
    ]
    for line in lost:
        typer.echo(line, err=True)
    _report_run(run.manifest, run.path)
    if lost:
        raise typer.Exit(1)


@app.command(
    "share", context_settings={"allow_interspersed_args": False, "ignore_unknown_options": True}
)
@guarded
def share_cmd(
    path: Annotated[Path, typer.Argument(help="The folder to re-export, e.g. your project.")],
    command: Annotated[
        list[str], typer.Argument(help="The command to run inside the share, after --.")
    ],
    share_model: ShareModelOpt = None,
) -> None:
    """Run COMMAND inside PATH re-exported through the simulated share; its time on stderr.

    Example: wsl-lab share ~/src/app -- git status
    """
    from .placement.models import load_model
    from .placement.trial import run_in_share

    if command[:1] == ["--"]:  # options stop at PATH, so click hands the `--` on to us
        command = command[1:]
    status = run_in_share(
        path, command, load_model(share_model), lambda m: typer.echo(m, err=True)
    )
    raise typer.Exit(status)


@app.command("calibrate")
@guarded
def calibrate_cmd(
    target: Annotated[
        list[str],
        typer.Option(
            "--target",
            help="native=PATH (required) and share=PATH: the real share to imitate, e.g. "
            "native=~/temp share=/mnt/c/temp on WSL2 (share=fuse:PATH: a simulated one).",
        ),
    ],
    ratios: Annotated[
        Path | None,
        typer.Option(
            help="Instead of a share=PATH: published share/native ratios to fit, e.g. "
            "config/calibration/wsl2-published.toml."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Model file to write. Default: config/shares/calibrated-<host>.toml."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="The model's name. Default: from --out.")
    ] = None,
    base_model: Annotated[
        str, typer.Option(help="Where request size, readahead and caching come from.")
    ] = "wsl2-9p",
    share_model: ShareModelOpt = None,
    reps: Annotated[int, typer.Option(help="Repetitions of each microbenchmark.")] = 3,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
) -> None:
    """Fit a share model to a real share (or published ratios) on this machine."""
    from .placement.calibrate import run_calibration

    written = run_calibration(
        target, ratios, out, name, base_model, share_model, reps, force, typer.echo
    )
    typer.echo(f"share model: {written}  (use: --share-model {written})")


@app.command("qdrant-startup")
@guarded
def qdrant_startup(
    logfile: Annotated[
        Path,
        typer.Argument(
            help="Saved `docker logs` of a Qdrant container "
            "(plain, compose-prefixed, ANSI or JSON lines)."
        ),
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Startup time from a Qdrant log: first 'Loading collection' to 'gRPC listening'."""
    from .qdrant.logs import read_startup

    s = read_startup(logfile)
    if json_out:
        typer.echo(json.dumps(s, indent=2))
        return
    total = f"{s['total_s']:.3f} s" if s["total_s"] is not None else "unknown (not ready)"
    typer.echo(f"startup: {total}  ready: {'yes' if s['ready'] else 'no'}")
    for c in s["collections"]:
        load = f"{c['load_s']:.3f} s" if c["load_s"] is not None else "-"
        typer.echo(f"  {c['name']:<28} {load}")


class EngineName(StrEnum):
    llamacpp = "llamacpp"
    ollama = "ollama"
    docker = "docker"


@run_app.command("llm")
@guarded
def run_llm_cmd(
    profile: ProfileOpt = Profile.smoke,
    engine: Annotated[
        EngineName,
        typer.Option(
            help="llamacpp: llama.cpp in-process with a GGUF (no server); ollama: your Ollama "
            "server; docker: the ollama image with every GPU."
        ),
    ] = EngineName.llamacpp,
    model: Annotated[
        str | None,
        typer.Option(
            help="llamacpp: 'smollm2-135m' (bundled) or a .gguf path; ollama/docker: a model "
            "name such as llama3.2. Default: profile's (smollm2-135m)."
        ),
    ] = None,
    target: TargetOpt = None,
    host: Annotated[
        str | None,
        typer.Option(help="Ollama URL. Default: $OLLAMA_HOST, else http://127.0.0.1:11434."),
    ] = None,
    device: Annotated[
        list[str] | None,
        typer.Option(
            "--device", help="cpu and/or gpu (repeatable; ollama/docker). Default: profile's."
        ),
    ] = None,
    reps: Annotated[int | None, typer.Option(help="Cold loads per placement and device.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Tokens generated per request.")] = None,
    share_model: ShareModelOpt = None,
    root: RootOpt = None,
) -> None:
    """Generation and prompt tokens/s, time to first token, load time; with a roofline."""
    from .llm.experiment import run_llm
    from .targets import targets_of

    params = config.experiment_params(
        profile.value,
        "llm",
        engine=engine.value,
        model=model,
        host=host,
        devices=device,
        reps=reps,
        max_tokens=max_tokens,
        share_model=share_model,
    )
    params, targets = targets_of(params, target)
    run = run_llm(params, targets, root, say=typer.echo)
    _report_run(run.manifest, run.path)


@app.command("ollama-stats")
@guarded
def ollama_stats_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            help="Saved Ollama responses: one JSON object, JSON "
            "lines, or a saved stream ending in done: true."
        ),
    ],
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Per response: eval and prompt tokens/s, load and total seconds."""
    from .llm.record import read_ollama_responses

    rows = read_ollama_responses(file)
    if json_out:
        typer.echo(json.dumps(rows, indent=2))
        return
    _print_rows(
        rows,
        Format.table,
        ["line", "model", "eval_tokens_per_s", "prompt_tokens_per_s", "load_s", "total_s"],
    )


@app.command("parse-bonnie")
@guarded
def parse_bonnie(
    file: Annotated[Path, typer.Argument(help="Bonnie++ output or CSV file (formats 1.96-1.98).")],
    format: Annotated[Format, typer.Option(help="Output format.")] = Format.table,
) -> None:
    """Bonnie++ CSV lines as one row per line × metric (+++++ is too_fast, never 0)."""
    from .disk import bonnie

    rows = bonnie.parse_file(file)
    _print_rows(
        rows,
        format,
        [
            "line",
            "name",
            "format_version",
            "file_size",
            "metric",
            "value",
            "unit",
            "too_fast",
            "cpu_pct",
            "latency_us",
        ],
    )


@app.command("parse-fio")
@guarded
def parse_fio(
    file: Annotated[Path, typer.Argument(help="fio --output-format=json output.")],
    format: Annotated[Format, typer.Option(help="Output format.")] = Format.table,
) -> None:
    """fio JSON as one row per job × direction: bandwidth, IOPS, completion latency p50/p99."""
    from .disk import fio

    _print_rows(
        fio.parse_file(file),
        format,
        [
            "job",
            "direction",
            "bw_kib_s",
            "iops",
            "clat_p50_us",
            "clat_p99_us",
            "runtime_ms",
            "error",
        ],
    )


@app.command("runs")
@guarded
def runs_cmd(
    experiment: Annotated[str | None, typer.Option(help="Only this experiment.")] = None,
    root: RootOpt = None,
    format: Annotated[Format, typer.Option(help="Output format.")] = Format.table,
) -> None:
    """The runs on disk: experiment, status, host, start date, run id."""
    from .runs import list_runs

    rows = [
        {
            "experiment": m.get("experiment"),
            "status": m.get("status"),
            "host": (m.get("host") or {}).get("hostname"),
            "started_utc": m.get("started_utc"),
            "profile": (m.get("parameters") or {}).get("profile"),
            "run_id": m.get("run_id"),
        }
        for m in list_runs(root or paths.RAW, experiment)
    ]
    if not rows and format is Format.table:
        typer.echo(f"no runs under {root or paths.RAW}")
        return
    _print_rows(rows, format, ["experiment", "status", "host", "started_utc", "profile", "run_id"])


@app.command("experiments")
@guarded
def experiments_cmd(
    profile: ProfileOpt = Profile.smoke,
    only: Annotated[list[str] | None, typer.Option(help="Only these experiments.")] = None,
) -> None:
    """Run every experiment notebook with papermill (measure=True); executed copies in reports/."""
    from .pipeline import run_notebooks

    results = run_notebooks(profile.value, only, say=typer.echo)
    failed = {k: v for k, v in results.items() if v != "ok"}
    for k, v in failed.items():
        typer.echo(f"{k}: {v}", err=True)
    if failed:
        raise typer.Exit(1)


@app.command("report")
@guarded
def report_cmd(
    root: RootOpt = None,
    run: Annotated[
        list[str] | None,
        typer.Option(
            "--run",
            help="Run ids to report (repeatable; several machines side by side). "
            "Default: the latest complete run of each host.",
        ),
    ] = None,
    profile: ProfileOpt = Profile.smoke,
    lang: Annotated[
        str | None,
        typer.Option(
            help="zh-TW (the blog's language) or en. Default: the profile's [report] lang."
        ),
    ] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="Post date, YYYY-MM-DD. Default: today (UTC).")
    ] = None,
) -> None:
    """Processed tables, figures and the Jekyll post from data/raw alone (nothing is measured)."""
    from datetime import date

    from .errors import ParameterError
    from .pipeline import build_report

    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        raise ParameterError(f"--date {day!r} is not YYYY-MM-DD") from None
    build_report(root, run, profile.value, lang, when, say=typer.echo)


@app.command("preview")
@guarded
def preview_cmd() -> None:
    """Build reports/site with Jekyll and screenshot the post with headless Chromium."""
    from .report.site import build, prepare, screenshot

    site = paths.REPORTS / "site"
    if not list((site / "_posts").glob("*.md")):
        raise ExperimentError("no post in reports/site/_posts: run `make report` first")
    prepare(site)
    dest, log = build(site)
    warnings = [ln for ln in log.splitlines() if "warn" in ln.lower() or "error" in ln.lower()]
    for w in warnings:
        typer.echo(f"jekyll: {w.strip()}", err=True)
    shot = screenshot(dest, paths.REPORTS / "preview.png")
    typer.echo(f"site: {dest}\nscreenshot: {shot}")


def main() -> None:
    """Entry point; usage errors are typer's (exit 2), ours are handled in `guarded`."""
    app()


if __name__ == "__main__":
    main()
