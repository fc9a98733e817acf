"""``mlplab lab list|run|report``: the claims lab on the command line.

``run`` exits with status 0 once every experiment has run, whatever the verdicts
(a ``fail`` is a finding about the claim, not an error of the command); the last
line counts the verdicts. A user error (unknown name, bad option) exits 1 with one
red line, as every ``mlplab`` command does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

LAB_HELP = ("The claims lab: each experiment checks one claim of the course and "
            "gives a verdict.")
DEFAULT_OUT = Path("lab-results")
COLOURS = {"pass": "green", "fail": "red", "inconclusive": "yellow"}


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``["dataset=xor", "epochs=50"]`` → ``{"dataset": "xor", "epochs": 50}``: a value is
    read as TOML (a number, a boolean) when it parses as one, else kept as a string."""
    import tomllib

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option: expected KEY=VALUE, got {pair!r}; e.g. "
                             "--option epochs=50")
        try:
            options[key.strip()] = tomllib.loads(f"v = {value.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            options[key.strip()] = value.strip()
    return options


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def list_experiments() -> None:
    """Print the catalog: name, claim with the course's term, concept, durations."""
    from rich.table import Table

    from mlplab.cli import make_console
    from mlplab.lab import catalog

    table = Table("#", "name", "claim", "concept", "quick", "full",
                  title="mlplab lab: run one with 'mlplab lab run NAME'", show_lines=True)
    for name, experiment in catalog.all_experiments().items():
        claim = experiment.claim
        options = f"\n(options: {', '.join(claim.options)})" if claim.options else ""
        term = f" ({claim.term})" if claim.term else ""
        table.add_row(str(claim.number), name, f"{claim.claim}{term}{options}", claim.concept,
                      _duration(claim.quick_s), _duration(claim.full_s))
    make_console().print(table)


def verdict_line(result: Any) -> str:
    """One rich-markup line for a result: verdict, name, duration and reason."""
    from rich.markup import escape

    colour = COLOURS.get(result.verdict, "white")
    return (f"[{colour}]{result.verdict:<12}[/{colour}] {escape(result.name)} "
            f"({result.duration_s:.1f} s): {escape(result.reason)}")


def run_experiments(names: list[str], out: Path, quick: bool, seed: int,
                    options: dict[str, Any]) -> list[Any]:
    """Run ``names`` (or ``["all"]``) with a progress bar; print a line per verdict,
    then the report's path and the verdict counts."""
    from collections import Counter

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    import mlplab.lab as lab
    from mlplab.cli import make_console

    console = make_console()
    chosen = lab.runner.selected("all" if names == ["all"] else names)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
               "{task.total}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"running {chosen[0]}", total=len(chosen))

        def done(result: Any) -> None:
            console.print(verdict_line(result))
            position = chosen.index(result.name) + 1
            following = chosen[position] if position < len(chosen) else "report"
            progress.update(task, advance=1, description=f"running {following}")

        results = lab.run_many(chosen, quick=quick, seed=seed, out=out, on_result=done,
                               **options)
    counts = Counter(r.verdict for r in results)
    console.print(f"report: {out / 'index.html'}", markup=False)
    console.print(", ".join(f"{counts.get(v, 0)} {v}" for v in lab.VERDICTS)
                  + f" ({len(results)} experiment{'s' if len(results) != 1 else ''})")
    return results


def register(app: typer.Typer) -> None:
    from mlplab.cli import HelpGroup

    lab_app = typer.Typer(name="lab", cls=HelpGroup, help=LAB_HELP, no_args_is_help=True,
                          rich_markup_mode=None, add_completion=False)

    @lab_app.command("list")
    def list_command() -> None:
        """List every experiment: its claim, concept and how long it takes."""
        list_experiments()

    @lab_app.command("run")
    def run_command(
        names: Annotated[list[str] | None, typer.Argument(
            metavar="NAME", help="Experiments, as listed by 'mlplab lab list'.",
            show_default=False)] = None,
        all_: Annotated[bool, typer.Option("--all", help="Run every experiment.")] = False,
        full: Annotated[bool, typer.Option(
            "--full", help="Paper-scale runs (minutes each) instead of quick mode.")] = False,
        seed: Annotated[int, typer.Option(metavar="S", help="Seed of data and weights.")] = 0,
        out: Annotated[Path, typer.Option(
            metavar="DIR", help="Results and report (index.html) go here.")] = DEFAULT_OUT,
        option: Annotated[list[str] | None, typer.Option(
            "--option", metavar="KEY=VALUE",
            help="Experiment setting, repeatable (see 'mlplab lab list').")] = None,
    ) -> None:
        """Run experiments and write their verdicts, figures and the report into --out.

        Exit status 0 once all have run, whatever their verdicts."""
        if bool(names) == all_:
            raise ValueError("lab run: give experiment names or --all (not both, not "
                             "neither); e.g. mlplab lab run linear-collapse")
        run_experiments(["all"] if all_ else list(names or []), out, not full, seed,
                        parse_options(option or []))

    @lab_app.command("report")
    def report_command(
        out: Annotated[Path, typer.Option(
            metavar="DIR", help="Folder of earlier 'lab run' results.")] = DEFAULT_OUT,
    ) -> None:
        """Render DIR/index.html again from the results saved in DIR."""
        import mlplab.lab as lab

        results = lab.load_results(out)
        if not results:
            raise FileNotFoundError(f"lab report: no result.json under {out}; run "
                                    "'mlplab lab run NAME --out DIR' first")
        typer.echo(f"report: {lab.write_report(lab.runner.merged([], out), out)} "
                   f"({len(results)} results)")

    app.add_typer(lab_app, name="lab")
