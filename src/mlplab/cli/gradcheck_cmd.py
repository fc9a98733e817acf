"""``mlplab gradcheck``: check every registered primitive's VJP against central differences."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("gradcheck")
    def gradcheck(
        seed: Annotated[int, typer.Option(
            help="Seed for the random float64 inputs and cotangents.")] = 0,
        op: Annotated[list[str] | None, typer.Option(
            "--op", help="Check only this primitive (repeatable); default: all.")] = None,
        eps: Annotated[float, typer.Option(help="ε of the two-sided difference.")] = 1e-6,
    ) -> None:
        """Gradcheck every primitive in float64 on random inputs (broadcasting shapes too).

        Prints op, case, max relative error and the notes' verdict (< 1e-7 great,
        > 1e-3 wrong). Exits with status 1 if any check fails or a primitive has no
        test inputs.
        """
        import difflib

        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        from mlplab.autograd.gradcheck import gradcheck as run_check
        from mlplab.autograd.gradcheck_cases import cases, unchecked_primitives
        from mlplab.autograd.primitive import REGISTRY

        op = op or []
        for name in op:
            if name not in REGISTRY:
                close = difflib.get_close_matches(name, REGISTRY, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"--op: no primitive named {name!r}{hint}")
        selected = [c for c in cases(seed) if not op or c.primitive in op]
        missing = [n for n in unchecked_primitives() if not op or n in op]

        table = Table(title=f"gradcheck of {len({c.primitive for c in selected})} primitives "
                            f"(float64, eps={eps:g}, seed={seed})")
        for column in ("op", "case", "max relative error", "verdict"):
            table.add_column(column, justify="right" if column == "max relative error" else "left")
        colours = {"great": "green", "check": "yellow", "wrong": "red"}
        failures = []
        for case in selected:
            result = run_check(case.fn, *case.inputs, eps=eps, seed=seed)
            worst = max((c.verdict for c in result.inputs), key=["great", "check", "wrong"].index)
            shown = worst if result.ok else "FAILED"
            colour = colours.get(shown, "red")
            table.add_row(case.primitive, escape(case.label), f"{result.max_relative_error:.1e}",
                          f"[{colour}]{shown}[/{colour}]")
            if not result.ok:
                failures.append((case, result))
        for name in missing:
            table.add_row(name, "no test inputs", "-", "[red]UNCHECKED[/red]")

        console = Console(highlight=False)
        console.print(table)
        for case, result in failures:
            console.print(f"[red]{case.primitive} {escape(case.label)}[/red]")
            console.print(result.report(), markup=False)
        if failures or missing:
            parts = []
            if failures:
                parts.append(f"{len(failures)} check(s) failed")
            if missing:
                parts.append(f"no gradcheck inputs for {', '.join(missing)} (add them to "
                             "mlplab/autograd/gradcheck_cases.py)")
            raise RuntimeError("; ".join(parts))
        console.print(f"[green]all {len(selected)} checks passed[/green]")
