"""Options every `wsl-lab run <experiment>` command shares, and how a run's end is reported."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .config import DEFAULT_PROFILE, FIRST_LOOK, PROFILES, profile_note

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
