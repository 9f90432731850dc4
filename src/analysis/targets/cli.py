"""`wsl-lab targets`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import DEFAULT, JsonOpt, ProfileOpt
from ..experiments import experiments, get
from ..places.host import Host
from .plan import plan, plan_lines


def targets_cmd(
    profile: ProfileOpt = DEFAULT,
    experiment: Annotated[
        list[str] | None, typer.Option(help="Only this experiment (repeatable). Default: all.")
    ] = None,
    json_out: JsonOpt = False,
    kernel: Annotated[
        Path | None,
        typer.Option(
            help="A file read instead of /proc/sys/kernel/osrelease and /proc/version "
            "(WSL when it says Microsoft)."
        ),
    ] = None,
    mount_table: Annotated[
        Path | None,
        typer.Option(help="A saved mount table instead of /proc/self/mountinfo."),
    ] = None,
    cmd_exe: Annotated[
        str | None,
        typer.Option(
            help="The program asked for %TEMP% instead of cmd.exe (`PROG /d /c echo %TEMP%`)."
        ),
    ] = None,
    wslpath: Annotated[
        str | None, typer.Option(help="The program used instead of wslpath (`PROG -u WINPATH`).")
    ] = None,
    wsl_conf: Annotated[
        Path | None, typer.Option(help="A file read instead of /etc/wsl.conf.")
    ] = None,
) -> None:
    """The places each experiment would measure: class, mount, why, and room for the profile.

    On WSL: native, the Windows drive (%TEMP%) and the simulated share; elsewhere: native and
    the simulated share. Nothing is written.
    """
    names = [get(e).name for e in experiment] if experiment else list(experiments())
    host = Host.read(kernel, mount_table, cmd_exe, wslpath, wsl_conf)
    out = plan(host, profile.value, names)
    if json_out:
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        typer.echo("\n".join(plan_lines(out)))
