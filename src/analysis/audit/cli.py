"""`wsl-lab where` and `wsl-lab audit`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import DEFAULT, JsonOpt, ProfileOpt
from .where import Costs, Table, on_a_share, row_lines, where_rows

CheckOpt = Annotated[
    bool,
    typer.Option(
        "--check",
        help="Exit 1 when any place is on a share of any kind (cross-os, network or "
        "simulated): for a pre-commit hook, a devcontainer postCreateCommand, a CI step.",
    ),
]


def where_cmd(
    path: Annotated[
        list[str] | None, typer.Argument(help="Paths to look up. Default: the current directory.")
    ] = None,
    mount_table: Annotated[
        Path | None,
        typer.Option(
            help="A saved mount table to classify by (/proc/self/mountinfo, /proc/mounts or "
            "`mount` output), e.g. from another machine; its paths are taken as written."
        ),
    ] = None,
    json_out: JsonOpt = False,
    check: CheckOpt = False,
) -> None:
    """Where each path lives, by its file system, and what that place costs.

    Example: wsl-lab where ~/src/app /mnt/c/Users/me/app
    """
    rows = where_rows(path or ["."], Table.load(mount_table), Costs())
    if json_out:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for row in rows:
            typer.echo("\n".join(row_lines(row)))
    shared = on_a_share(rows)
    if check and shared:
        typer.echo("wsl-lab where: on a share: " + ", ".join(r["path"] for r in shared), err=True)
        raise typer.Exit(1)


def audit_cmd(
    compose: Annotated[
        list[Path] | None,
        typer.Option(help="A compose file whose volumes to classify (repeatable)."),
    ] = None,
    profile: ProfileOpt = DEFAULT,
    json_out: JsonOpt = False,
    check: CheckOpt = False,
    figure: Annotated[
        Path | None,
        typer.Option(help="Also draw the audit as a PNG: each item on its place, with its cost."),
    ] = None,
) -> None:
    """Every place that matters here: this project, Docker's mounts and volumes, compose
    files, model caches and wsl-lab's own data, each classified with what it costs.

    Only reads: no container, volume or file is created, changed or removed.
    """
    # lazy: the Docker SDK (and requests) only for the audit, not for every wsl-lab command
    from .inventory import run_audit

    audit = run_audit(list(compose or []), profile.value)
    if json_out:
        doc = {"items": audit.items, "notes": audit.notes}
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for note in audit.notes:
            typer.echo(note)
        for item in audit.items:
            lines = row_lines(item)
            lines[0] = f"{item['what']}: {item['item']}  {item['path']}"
            typer.echo("\n".join(lines))
    if figure is not None:
        # lazy: matplotlib and seaborn (about a second) only when a figure is asked for
        from .figure import save_audit_figure

        typer.echo(f"figure: {save_audit_figure(audit.items, figure)}", err=json_out)
    shared = on_a_share(audit.items)
    if check and shared:
        typer.echo(f"wsl-lab audit: {len(shared)} place(s) on a share", err=True)
        raise typer.Exit(1)
