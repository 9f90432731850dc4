"""`wsl-lab run devloop`."""

from __future__ import annotations

from typing import Annotated

import typer

from ..cliopts import DEFAULT, ProfileOpt, RootOpt, ShareModelOpt, TargetOpt, report_run
from ..experiments import get
from ..params import load
from .params import DevloopParams


def run_devloop_cmd(
    profile: ProfileOpt = DEFAULT,
    target: TargetOpt = None,
    posts: Annotated[int | None, typer.Option(help="Posts in the generated site.")] = None,
    change_timeout_s: Annotated[
        float | None,
        typer.Option(help="Seconds an edit may take to show before it is 'not delivered'."),
    ] = None,
    share_model: ShareModelOpt = None,
    root: RootOpt = None,
) -> None:
    """A Jekyll site per placement: full build, --watch with edits from both sides, git."""

    params = load(
        DevloopParams,
        profile.value,
        "devloop",
        targets=target,
        posts=posts,
        change_timeout_s=change_timeout_s,
        share_model=share_model,
    )
    run = get("devloop").runner(params, root=root, say=typer.echo)
    report_run(run.manifest, run.path)
