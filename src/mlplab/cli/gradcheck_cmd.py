"""``mlplab gradcheck``: check every registered primitive's VJP against central differences."""

from __future__ import annotations

from typing import Annotated, Any

import typer

VERDICT_COLOURS = {"great": "green", "check": "yellow", "wrong": "red"}
"""Colour of each gradcheck verdict (relative error < 1e-7 great, > 1e-3 wrong)."""


def selected_cases(ops: list[str], seed: int) -> tuple[list[Any], list[str]]:
    """The gradcheck cases of the primitives ``ops`` (all when empty), and the selected
    primitives that have no test inputs; an unknown name is an error."""
    from mlplab.autograd.gradcheck_cases import cases, unchecked_primitives
    from mlplab.autograd.primitive import REGISTRY
    from mlplab.checks import unknown

    for name in ops:
        if name not in REGISTRY:
            raise unknown("gradcheck --op", "primitive", name, REGISTRY)
    selected = [c for c in cases(seed) if not ops or c.primitive in ops]
    missing = [n for n in unchecked_primitives() if not ops or n in ops]
    return selected, missing


def check_cases(selected: list[Any], missing: list[str], eps: float, seed: int,
                table: Any) -> list[tuple[Any, Any]]:
    """Gradcheck each case, add one row per case (and per unchecked primitive) to
    ``table``; return the failed (case, result) pairs."""
    from rich.markup import escape

    from mlplab.autograd.gradcheck import gradcheck

    failures = []
    for case in selected:
        result = gradcheck(case.fn, *case.inputs, eps=eps, seed=seed)
        worst = max((c.verdict for c in result.inputs), key=["great", "check", "wrong"].index)
        shown = worst if result.ok else "FAILED"
        colour = VERDICT_COLOURS.get(shown, "red")
        table.add_row(case.primitive, escape(case.label), f"{result.max_relative_error:.1e}",
                      f"[{colour}]{shown}[/{colour}]")
        if not result.ok:
            failures.append((case, result))
    for name in missing:
        table.add_row(name, "no test inputs", "-", "[red]UNCHECKED[/red]")
    return failures


def failure_message(failures: list[Any], missing: list[str]) -> str:
    """The one error line for failed checks and primitives without test inputs."""
    parts = []
    if failures:
        parts.append(f"{len(failures)} check(s) failed")
    if missing:
        parts.append(f"no gradcheck inputs for {', '.join(missing)} (add them to "
                     "mlplab/autograd/gradcheck_cases.py)")
    return "; ".join(parts)


def register(app: typer.Typer) -> None:
    @app.command("gradcheck")
    def gradcheck(
        seed: Annotated[int, typer.Option(
            help="Seed for the random float64 inputs and cotangents.")] = 0,
        op: Annotated[list[str] | None, typer.Option(
            "--op", metavar="NAME",
            help="Check only this primitive (repeatable) [default: all].")] = None,
        eps: Annotated[float, typer.Option(help="ε of the two-sided difference.")] = 1e-6,
    ) -> None:
        """Gradcheck every primitive in float64 on random inputs (broadcasting shapes too).

        Prints op, case, max relative error and its verdict (< 1e-7 great,
        > 1e-3 wrong). Exits with status 1 if any check fails or a primitive has no
        test inputs.
        """
        from rich.markup import escape
        from rich.table import Table

        from mlplab.checks import NON_NEGATIVE_INT, POSITIVE, check
        from mlplab.cli import make_console

        check("gradcheck", "--seed", seed, NON_NEGATIVE_INT)
        check("gradcheck", "--eps", eps, POSITIVE)
        selected, missing = selected_cases(op or [], seed)
        table = Table(title=f"gradcheck of {len({c.primitive for c in selected})} primitives "
                            f"(float64, eps={eps:g}, seed={seed})")
        for column in ("op", "case", "max relative error", "verdict"):
            table.add_column(column, justify="right" if column == "max relative error" else "left")
        failures = check_cases(selected, missing, eps, seed, table)
        console = make_console()
        console.print(table)
        for case, result in failures:
            console.print(f"[red]{case.primitive} {escape(case.label)}[/red]")
            console.print(result.report(), markup=False)
        if failures or missing:
            raise RuntimeError(failure_message(failures, missing))
        console.print(f"[green]all {len(selected)} checks passed[/green]")
