"""``mlplab playground init|boundary|optimizers``: the old names of three lab experiments.

The experiments now live under ``mlplab lab``; these aliases keep old commands
working and say so in one line. The name ``playground`` will become the browser
playground.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ALIASES = {"init": "initializations", "boundary": "hidden-sizes",
           "optimizers": "optimizer-race"}
"""Old playground name → lab experiment name."""


def register(app: typer.Typer) -> None:
    @app.command("playground")
    def playground(
        experiment: Annotated[str, typer.Argument(
            metavar="NAME", help="init, boundary or optimizers (now 'mlplab lab run' "
                                 "initializations, hidden-sizes or optimizer-race).")],
        out: Annotated[Path, typer.Option(metavar="DIR", help="Folder for the figures.")] = Path(
            "runs/playground"),
        activation: Annotated[str | None, typer.Option(
            metavar="NAME", help="Hidden activation [default: tanh].")] = None,
        dataset: Annotated[str | None, typer.Option(
            metavar="NAME", help="xor, moons, circles or spirals (boundary, optimizers) "
                                 "[default: moons for boundary, spirals for optimizers].")
        ] = None,
        seed: Annotated[int, typer.Option(metavar="S", help="Seed of data and weights.")] = 0,
    ) -> None:
        """Old name of 'mlplab lab run': run one experiment and draw it into --out."""
        from mlplab.checks import unknown
        from mlplab.cli.lab_cmd import run_and_print

        if experiment not in ALIASES:
            raise unknown("playground", "experiment", experiment, ALIASES)
        name = ALIASES[experiment]
        typer.secho(f"note: this is now 'mlplab lab run {name}'; the name 'playground' will "
                    "become the browser playground", fg="yellow", err=True)
        given = {"activation": activation, "dataset": dataset}
        run_and_print(name, out, seed, {k: v for k, v in given.items() if v is not None})
