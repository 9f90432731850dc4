"""What every `wsl-lab` command shares: its options, project errors as one line (`guarded`),
rows printed as a table, CSV or JSON, and how a run's end is reported."""

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

from .config import DEFAULT_PROFILE, FIRST_LOOK, PROFILES, profile_note
from .errors import ExperimentError

Profile = StrEnum("Profile", {name: name for name in PROFILES})  # type: ignore[misc]
DEFAULT = Profile(DEFAULT_PROFILE)


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
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
RootOpt = Annotated[Path | None, typer.Option(help="Where runs are written. Default: data/raw.")]
ShareModelOpt = Annotated[
    str | None,
    typer.Option(
        help="How LABEL=fuse:PATH targets behave: a model in config/shares/ (wsl2-9p, "
        "bindfs-nocache, your calibrated ones) or a .toml file. Default: profile's (wsl2-9p)."
    ),
]


def report_run(manifest: dict, path: Path) -> None:
    """The run's status on stdout, each target that did not complete on stderr; exit 1 then."""
    failed = {k: v for k, v in manifest["targets"].items() if v.get("status") != "complete"}
    typer.echo(f"{manifest['status']}: {path}")
    profile = (manifest.get("parameters") or {}).get("profile")
    if profile == FIRST_LOOK:  # said wherever its numbers are printed
        typer.echo(profile_note(profile))
    for label, t in failed.items():
        errors = [r["error"] for r in t.get("results", []) if r.get("error")]
        typer.echo(
            f"  {label}: {t.get('status')}: {t.get('error') or '; '.join(errors)}", err=True
        )
    if manifest["status"] != "complete" or failed:
        raise typer.Exit(1)


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


def print_rows(rows: list[dict], fmt: Format, columns: list[str]) -> None:
    if fmt is Format.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt is Format.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    else:
        widths = {c: max(len(c), *(len(cell(r.get(c))) for r in rows)) for c in columns}
        typer.echo("  ".join(c.ljust(widths[c]) for c in columns))
        for r in rows:
            typer.echo("  ".join(cell(r.get(c)).ljust(widths[c]) for c in columns))


def cell(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)
