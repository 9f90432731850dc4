"""What every `wsl-lab` command shares: its options, project errors as one line (`guarded`),
rows printed as a table, CSV or JSON, and how a run's end is reported."""

from __future__ import annotations

import csv
import dataclasses
import functools
import inspect
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .config import DEFAULT_PROFILE, FIRST_LOOK, PROFILES, profile_note
from .errors import ExperimentError
from .experiments import get

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


@dataclass(frozen=True)
class Opt:
    """A parameter of an experiment as `wsl-lab run <name>` takes it (declared beside the
    params); its type comes from the params' field, its default is the profile's value."""

    help: str
    flag: str = ""  # "" = --field-name
    choices: tuple[str, ...] = ()  # the values it takes, listed in --help
    comma: bool = False  # a list given as one comma-separated value


def _annotation(name: str, params: type, opt: Opt) -> Any:
    kind = {f.name: f for f in dataclasses.fields(params)}[name].type
    flag = opt.flag or f"--{name.replace('_', '-')}"
    if opt.choices:
        kind = StrEnum(name.title().replace("_", ""), {c: c for c in opt.choices})  # type: ignore[misc]
    elif kind == "tuple":
        kind = str if opt.comma else list[str]
    else:
        kind = {"int": int, "float": float, "str": str}[kind]
    return Annotated[kind | None, typer.Option(flag, help=opt.help)]


def run_command(
    name: str,
    params: type,
    options: dict[str, Opt],
    doc: str,
    after: Callable[[Any], bool] | None = None,
) -> Callable[..., None]:
    """The `wsl-lab run <name>` command, generated from the experiment's typed params and its
    options: the profile's parameters with the options given, one run on the targets, its end
    reported (`after(run)` says more, and whether the command fails)."""

    def command(**given: Any) -> None:
        profile = given.pop("profile")
        root = given.pop("root")
        overrides = {"targets": given.pop("target"), "share_model": given.pop("share_model")}
        for key, value in given.items():
            if isinstance(value, StrEnum):
                value = value.value
            elif options[key].comma and value is not None:
                value = [v.strip() for v in value.split(",")]
            overrides[key] = value
        exp = get(name)
        run = exp.runner(exp.load(profile.value, **overrides), root=root, say=typer.echo)
        failed = after(run) if after else False
        report_run(run.manifest, run.path)
        if failed:
            raise typer.Exit(1)

    kw = inspect.Parameter.KEYWORD_ONLY
    fields = [
        inspect.Parameter("profile", kw, default=DEFAULT, annotation=ProfileOpt),
        inspect.Parameter("target", kw, default=None, annotation=TargetOpt),
        *(
            inspect.Parameter(key, kw, default=None, annotation=_annotation(key, params, o))
            for key, o in options.items()
        ),
        inspect.Parameter("share_model", kw, default=None, annotation=ShareModelOpt),
        inspect.Parameter("root", kw, default=None, annotation=RootOpt),
    ]
    command.__signature__ = inspect.Signature(fields, return_annotation=None)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in fields} | {"return": None}
    command.__doc__ = doc
    command.__name__ = f"run_{name}_cmd"
    return command
