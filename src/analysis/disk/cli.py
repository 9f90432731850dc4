"""`wsl-lab run disk`."""

from __future__ import annotations

from typing import Annotated

import typer

from ..cliopts import DEFAULT, ProfileOpt, RootOpt, ShareModelOpt, TargetOpt, report_run
from ..params import load


def run_disk_cmd(
    profile: ProfileOpt = DEFAULT,
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
    from .experiment import run_disk
    from .params import DiskParams

    params = load(
        DiskParams,
        profile.value,
        "disk",
        targets=target,
        reps=reps,
        share_model=share_model,
        tools=[t.strip() for t in tools.split(",")] if tools else None,
    )
    run = run_disk(params, root=root, say=typer.echo)
    report_run(run.manifest, run.path)
