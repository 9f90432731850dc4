"""`wsl-lab where` and `wsl-lab audit`."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import DEFAULT, JsonOpt, ProfileOpt
from ..errors import ParameterError
from .check import IGNORE_FILE, MIN_SLOWDOWN, read_ignore, verdicts
from .plan import DEFAULT_TO, build_plan, plan_script, plan_text
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
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Exit 1 when an item on a share is at least --min-slowdown slower, carries a "
            "data-loss risk, or has no measured cost; items a plan moved and items accepted in "
            "the ignore file leave the exit status alone. For a pre-commit hook or a CI step.",
        ),
    ] = False,
    min_slowdown: Annotated[
        float,
        typer.Option(help="The slowdown (share vs native, ×) at which --check fails.", min=1.0),
    ] = MIN_SLOWDOWN,
    ignore: Annotated[
        Path | None,
        typer.Option(
            help=f"Items accepted where they are: one pattern per line, matched against an "
            f"item's name or path. Default: {IGNORE_FILE} in the current directory, if there."
        ),
    ] = None,
    plan: Annotated[
        bool,
        typer.Option(
            "--plan",
            help="For each item on a share, the steps that move it to a native place: stop, "
            "copy, verify by checksum, switch, start. It never deletes: removing the originals "
            "is left to you, commented out, last.",
        ),
    ] = False,
    to: Annotated[
        Path,
        typer.Option(
            help="The native folder --plan moves to. Default: your home directory (on WSL, the "
            "distro's own ext4, where the post moved its files)."
        ),
    ] = Path(DEFAULT_TO),
    script: Annotated[
        bool,
        typer.Option(
            "--script", help="With --plan: the steps as one POSIX sh script, on standard output."
        ),
    ] = False,
    figure: Annotated[
        Path | None,
        typer.Option(help="Also draw the audit as a PNG: each item on its place, with its cost."),
    ] = None,
) -> None:
    """Every place that matters here: this project, Docker's mounts and volumes, compose
    files, model caches and wsl-lab's own data, each classified with what it costs and the
    risks beyond speed; with --plan, how to move what sits on a share.

    Only reads: no container, volume or file is created, changed or removed (a --plan
    --script changes things only when you run it).
    """
    if script and not plan:
        raise ParameterError("--script writes the move plan: give --plan with it")
    patterns = read_ignore(ignore, Path(IGNORE_FILE))
    # lazy: the Docker SDK (and requests) only for the audit, not for every wsl-lab command
    from .inventory import run_audit

    audit = run_audit(list(compose or []), profile.value)
    if plan:
        moves = build_plan(audit.items, to)
        for note in audit.notes:  # what it could not look at (no engine, ...)
            typer.echo(note, err=script or json_out)
        if script:
            typer.echo(plan_script(moves), nl=False)
        elif json_out:
            typer.echo(json.dumps(asdict(moves), indent=2, ensure_ascii=False, default=str))
        else:
            typer.echo("\n".join(plan_text(moves)))
    elif json_out:
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

        typer.echo(f"figure: {save_audit_figure(audit.items, figure)}", err=json_out or script)
    if check:
        judged = verdicts(audit.items, patterns, min_slowdown)
        for item, why, _fails in judged:
            typer.echo(f"wsl-lab audit: {item['item']}: {why}", err=True)
        failing = [j for j in judged if j[2]]
        if failing:
            typer.echo(
                f"wsl-lab audit: {len(failing)} item(s) on a share fail the check "
                f"(--min-slowdown {min_slowdown:g})",
                err=True,
            )
            raise typer.Exit(1)
