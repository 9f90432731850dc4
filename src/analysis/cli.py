"""The `wsl-lab` command: the commands of every part, registered in one place, and those that
work on every experiment at once (runs, experiments, report, preview)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from . import config, paths
from .audit.cli import audit_cmd, where_cmd
from .cliopts import DEFAULT, Format, ProfileOpt, RootOpt, guarded, print_rows
from .errors import ExperimentError, ParameterError
from .experiments import experiments, overrides_for
from .interrupts import Interrupted
from .runner.reclaim import known_targets
from .runner.reclaim import reclaim as reclaim_all
from .runs import list_runs, settle
from .share.cli import calibrate_cmd, share_cmd
from .targets.cli import targets_cmd

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
    settle(root, by="wsl-lab runs")
    if reclaim:
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
    print_rows(rows, format, ["experiment", "status", "host", "started_utc", "profile", "run_id"])


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
    overrides = overrides_for(profile.value, reps, warmup, set_)  # a typo: told at once
    # lazy: papermill, pandas and matplotlib (seconds) only for the commands that use them
    from .pipeline import build_report, run_notebooks

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
    # lazy: papermill, pandas and matplotlib (seconds) only for the commands that use them
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
    # lazy: Playwright and the report's plotting only for the preview
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


def _register() -> None:
    """Each command beside what it runs: `wsl-lab run <name>` and its tools' commands for every
    experiment in the registry, in its order; `where`, `audit`, `targets`, `share`, `calibrate`."""
    for exp in experiments().values():
        run_app.command(exp.name)(guarded(exp.cli))
        for name, fn in exp.tools.items():
            app.command(name)(guarded(fn))
    app.command("where")(guarded(where_cmd))
    app.command("audit")(guarded(audit_cmd))
    app.command("targets")(guarded(targets_cmd))
    # options stop at PATH, so that the command's own options reach it
    app.command(
        "share",
        context_settings={"allow_interspersed_args": False, "ignore_unknown_options": True},
    )(guarded(share_cmd))
    app.command("calibrate")(guarded(calibrate_cmd))


_register()


def main() -> None:
    """Entry point; usage errors are typer's (exit 2), ours are handled in `guarded`."""
    app()


if __name__ == "__main__":
    main()
