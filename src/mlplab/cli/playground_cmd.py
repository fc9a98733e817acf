"""``mlplab playground``: run a small experiment that makes one of the notes' claims visible."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXPERIMENTS = ("init", "boundary", "optimizers")


def register(app: typer.Typer) -> None:
    @app.command("playground")
    def playground(
        experiment: Annotated[str, typer.Argument(
            help="init (activation histograms per initialization), boundary (decision "
                 "boundaries vs hidden units) or optimizers (loss curves of each optimizer).")],
        out: Annotated[Path, typer.Option(help="Folder for the figures.")] = Path(
            "runs/playground"),
        activation: Annotated[str, typer.Option(help="Hidden activation (init, boundary).")] =
            "tanh",
        dataset: Annotated[str, typer.Option(
            help="xor, moons, circles or spirals (boundary, optimizers).")] = "moons",
        seed: Annotated[int, typer.Option(help="Seed of data and weights.")] = 0,
    ) -> None:
        """Run one experiment, print its numbers and write its figures into --out."""
        import difflib

        from rich.console import Console
        from rich.table import Table

        import mlplab.lab as pg

        if experiment not in EXPERIMENTS:
            close = difflib.get_close_matches(experiment, EXPERIMENTS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"experiment: expected one of {', '.join(EXPERIMENTS)}, received "
                             f"{experiment!r}{hint}")
        console = Console()
        if experiment == "init":
            runs = pg.compare_initializations(activation=activation, out_dir=out, seed=seed)
            table = Table(title=f"std of each layer's {activation} activations")
            table.add_column("init")
            depth = len([r for r in next(iter(runs.values())) if r["kind"] == "activation"])
            for layer in range(1, depth + 1):
                table.add_column(f"L{layer}", justify="right")
            for scheme, records in runs.items():
                stds = [r["std"] for r in records if r["kind"] == "activation"]
                table.add_row(scheme, *(f"{s:.2g}" for s in stds))
        elif experiment == "boundary":
            accuracy = pg.compare_hidden_sizes(dataset, activation=activation, out_dir=out,
                                               seed=seed)
            table = Table(title=f"training accuracy on {dataset}")
            table.add_column("hidden units", justify="right")
            table.add_column("accuracy", justify="right")
            for hidden, value in accuracy.items():
                table.add_row(str(hidden), f"{value:.3f}")
        else:
            curves = pg.optimizer_race(dataset=dataset if dataset != "moons" else "spirals",
                                       out_dir=out, seed=seed)
            table = Table(title="training loss (same weights and batches)")
            for column in ("optimizer", "epoch 1", "epoch 10", "last epoch"):
                table.add_column(column, justify="right")
            for name, values in curves.items():
                table.add_row(name, f"{values[0]:.3f}", f"{values[min(9, len(values) - 1)]:.3f}",
                              f"{values[-1]:.3f}")
        console.print(table)
        console.print(f"figures written to {out}/")
