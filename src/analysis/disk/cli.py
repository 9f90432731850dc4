"""`wsl-lab run disk`."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import config
from ..cliopts import Profile, ProfileOpt, RootOpt, ShareModelOpt, TargetOpt, report_run


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
    from ..targets import targets_of
    from .experiment import run_disk

    params = config.experiment_params(
        profile.value,
        "disk",
        reps=reps,
        share_model=share_model,
        tools=[t.strip() for t in tools.split(",")] if tools else None,
    )
    params, targets = targets_of(params, target)
    run = run_disk(params, targets, root, say=typer.echo)
    report_run(run.manifest, run.path)
