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
from .cliopts import DEFAULT, ProfileOpt, RootOpt, ShareModelOpt
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


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


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
    from .share.models import load_model
    from .share.trial import run_in_share

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
        list[str] | None,
        typer.Option(
            "--target",
            help="native=PATH and share=PATH: the real share to imitate, e.g. "
            "native=~/temp share=/mnt/c/temp (share=fuse:PATH: a simulated one). Default on "
            "WSL: wsl-lab's native directory and the Windows drive (see `wsl-lab targets`).",
        ),
    ] = None,
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
    from .share.calibrate import run_calibration

    written = run_calibration(
        target, ratios, out, name, base_model, share_model, reps, force, typer.echo
    )
    typer.echo(f"share model: {written}")
    typer.echo(
        f'use it: --share-model {written}, or share_model = "{written.stem}" in a profile '
        "(when it is in config/shares/)"
    )


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
    reclaim: Annotated[
        bool,
        typer.Option(
            help="Also remove what abandoned runs left: their scratch directories in every "
            "known target and their dead mounts under the cache."
        ),
    ] = False,
) -> None:
    """The runs on disk: experiment, status, host, start date, run id. A `running` run whose
    process is gone (killed, or the machine rebooted) is marked `abandoned` first."""
    from .runs import list_runs, settle

    settle(root, by="wsl-lab runs")
    if reclaim:
        from .runner.reclaim import known_targets
        from .runner.reclaim import reclaim as reclaim_all

        done = reclaim_all(known_targets(root), lambda m: typer.echo(m, err=True), root)
        if not (done["scratch"] or done["mounts"]):
            typer.echo("reclaimed nothing: no abandoned run left anything behind", err=True)
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
    profile: ProfileOpt = DEFAULT,
    only: Annotated[list[str] | None, typer.Option(help="Only these experiments.")] = None,
    reps: Annotated[
        int | None, typer.Option(help="Measured repetitions of every experiment (shorter runs).")
    ] = None,
    warmup: Annotated[
        int | None, typer.Option(help="Discarded repetitions of every experiment.")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="EXPERIMENT.KEY=VALUE replacing a profile key for this run (repeatable), "
            "e.g. --set disk.tools='[\"fio\"]' --set qdrant.records=10000.",
        ),
    ] = None,
    report: Annotated[
        bool,
        typer.Option(
            help="Then build the report, as `wsl-lab report` does (not after an interrupt)."
        ),
    ] = False,
) -> None:
    """Run every experiment notebook with papermill (measure=True); executed copies in reports/.
    Each measuring step's progress (target, tool, repetition, time left) is printed as it goes.
    `make experiments` is this with --report, one process that make's SIGTERM reaches."""
    from .interrupts import Interrupted
    from .pipeline import build_report, overrides_for, run_notebooks

    overrides = overrides_for(profile.value, reps, warmup, set_)
    typer.echo(config.profile_note(profile.value))
    try:
        results = run_notebooks(profile.value, only, say=typer.echo, overrides=overrides)
    except Interrupted as exc:  # passed on to the measuring notebook, which cleaned up
        signum = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 2
        typer.echo(
            "wsl-lab: interrupted: the measuring notebook's run is marked 'interrupted'; "
            "the remaining notebooks did not start",
            err=True,
        )
        raise typer.Exit(128 + signum) from None
    failed = {k: v for k, v in results.items() if v != "ok"}
    for k, v in failed.items():
        typer.echo(f"{k}: {v}", err=True)
    if report:  # what did finish is reported, failures and all
        build_report(None, None, profile.value, None, None, say=typer.echo)
    typer.echo(f"ran {config.profile_note(profile.value)}")
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
    profile: ProfileOpt = DEFAULT,
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
    from .report.site import build, screenshot, write_skeleton

    site = paths.REPORTS / "site"
    if not list((site / "_posts").glob("*.md")):
        raise ExperimentError("no post in reports/site/_posts: run `make report` first")
    write_skeleton(site)
    dest, log = build(site)
    warnings = [ln for ln in log.splitlines() if "warn" in ln.lower() or "error" in ln.lower()]
    for w in warnings:
        typer.echo(f"jekyll: {w.strip()}", err=True)
    shot = screenshot(dest, paths.REPORTS / "preview.png")
    typer.echo(f"site: {dest}\nscreenshot: {shot}")


def _register_experiments() -> None:
    """`wsl-lab run <name>` for every experiment in the registry, in its order."""
    from .experiments import experiments

    for exp in experiments().values():
        run_app.command(exp.name)(guarded(exp.cli))


def _register_audit() -> None:
    """`wsl-lab where` and `wsl-lab audit`: a capability beside the experiments."""
    from .audit.cli import audit_cmd, where_cmd

    app.command("where")(guarded(where_cmd))
    app.command("audit")(guarded(audit_cmd))


def _register_placement() -> None:
    """`wsl-lab targets`: the places runs would use, beside the command that lists runs."""
    from .targets.cli import targets_cmd

    app.command("targets")(guarded(targets_cmd))


_register_experiments()
_register_audit()
_register_placement()


def main() -> None:
    """Entry point; usage errors are typer's (exit 2), ours are handled in `guarded`."""
    app()


if __name__ == "__main__":
    main()
