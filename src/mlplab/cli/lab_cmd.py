"""``mlplab lab list`` and ``mlplab lab run NAME``: the claims lab on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

LAB_HELP = "Small experiments that each make one claim about neural networks visible."


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``["dataset=xor", "epochs=50"]`` → ``{"dataset": "xor", "epochs": 50}``: a value is
    read as TOML (a number, a boolean) when it parses as one, else kept as a string."""
    import tomllib

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option: expected KEY=VALUE, got {pair!r}; e.g. "
                             "--option dataset=xor")
        try:
            options[key.strip()] = tomllib.loads(f"v = {value.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            options[key.strip()] = value.strip()
    return options


def print_findings(findings: Any, out: Path | None) -> None:
    """Print an experiment's table, then where its figures went."""
    from rich.markup import escape
    from rich.table import Table

    from mlplab.cli import make_console

    table = Table(title=escape(findings.title))
    for index, column in enumerate(findings.columns):
        table.add_column(escape(column), justify="left" if index == 0 else "right")
    for row in findings.rows:
        table.add_row(*(escape(cell) for cell in row))
    console = make_console()
    console.print(table)
    if findings.figures:
        count = len(findings.figures)
        console.print(f"{count} figure{'s' if count != 1 else ''} written to {out}/",
                      markup=False)


def run_and_print(name: str, out: Path, seed: int, options: dict[str, Any]) -> None:
    """Run lab experiment ``name`` with ``options``, print its findings, keep its figures."""
    import mlplab.lab as lab

    print_findings(lab.run(name, out_dir=out, seed=seed, **options), out)


def list_experiments() -> None:
    """Print every experiment of the lab: name, options and claim."""
    from rich.table import Table

    import mlplab.lab as lab
    from mlplab.cli import make_console

    table = Table("experiment", "claim", title="mlplab lab: run one with "
                  "mlplab lab run NAME", show_lines=True)
    for experiment in lab.EXPERIMENTS.values():
        options = ", ".join(experiment.options) or "none"
        table.add_row(experiment.name, f"{experiment.claim}\n(options: {options})")
    make_console().print(table)


def register(app: typer.Typer) -> None:
    from mlplab.cli import HelpGroup

    lab_app = typer.Typer(name="lab", cls=HelpGroup, help=LAB_HELP, no_args_is_help=True,
                          rich_markup_mode=None, add_completion=False)

    @lab_app.command("list")
    def list_command() -> None:
        """List the experiments and the claim each one makes visible."""
        list_experiments()

    @lab_app.command("run")
    def run_command(
        name: Annotated[str, typer.Argument(
            metavar="NAME", help="Experiment name, as listed by 'mlplab lab list'.")],
        out: Annotated[Path | None, typer.Option(
            metavar="DIR", help="Folder for the figures [default: runs/lab/NAME].")] = None,
        seed: Annotated[int, typer.Option(metavar="S", help="Seed of data and weights.")] = 0,
        option: Annotated[list[str] | None, typer.Option(
            "--option", metavar="KEY=VALUE",
            help="Experiment setting, repeatable: e.g. dataset=xor, activation=relu, "
                 "epochs=100 (see 'mlplab lab list').")] = None,
    ) -> None:
        """Run one experiment: print its numbers, write its figures into --out."""
        run_and_print(name, out or Path("runs/lab") / name, seed, parse_options(option or []))

    app.add_typer(lab_app, name="lab")
