"""`wsl-lab share` and `wsl-lab calibrate`: the simulated share, run and fitted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..cliopts import ShareModelOpt
from .calibrate import run_calibration
from .models import load_model
from .trial import run_in_share


def share_cmd(
    path: Annotated[Path, typer.Argument(help="The folder to re-export, e.g. your project.")],
    command: Annotated[
        list[str], typer.Argument(help="The command to run inside the share, after --.")
    ],
    share_model: ShareModelOpt = None,
) -> None:
    """Run COMMAND inside PATH re-exported through the simulated share; its time on stderr.

    Example: wsl-lab share ~/src/app -- git status
    """

    if command[:1] == ["--"]:  # options stop at PATH, so click hands the `--` on to us
        command = command[1:]
    status = run_in_share(
        path, command, load_model(share_model), lambda m: typer.echo(m, err=True)
    )
    raise typer.Exit(status)


def calibrate_cmd(
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            help="native=PATH and share=PATH: the real share to imitate, e.g. "
            "native=~/temp share=/mnt/c/temp (share=fuse:PATH: a simulated one). Default on "
            "WSL: wsl-lab's native directory and the Windows drive (see `wsl-lab targets`).",
        ),
    ] = None,
    ratios: Annotated[
        Path | None,
        typer.Option(
            help="Instead of a share=PATH: published share/native ratios to fit, e.g. "
            "config/calibration/wsl2-published.toml."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Model file to write. Default: config/shares/calibrated-<host>.toml."),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="The model's name. Default: from --out.")
    ] = None,
    base_model: Annotated[
        str, typer.Option(help="Where request size, readahead and caching come from.")
    ] = "wsl2-9p",
    share_model: ShareModelOpt = None,
    reps: Annotated[int, typer.Option(help="Repetitions of each microbenchmark.")] = 3,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
) -> None:
    """Fit a share model to a real share (or published ratios) on this machine."""

    written = run_calibration(
        target, ratios, out, name, base_model, share_model, reps, force, typer.echo
    )
    typer.echo(f"share model: {written}")
    typer.echo(
        f'use it: --share-model {written}, or share_model = "{written.stem}" in a profile '
        "(when it is in config/shares/)"
    )
