"""``mlplab graph "x*(x+y)" --x 2 --y 1``: build an expression's computational graph and show it.

Prints f's value, ∂f/∂variable for every variable, a table of every node with
its value and ∂f/∂node, and the Graphviz DOT text; ``--out g.svg`` (or .png,
.pdf) renders it with Graphviz's ``dot`` program, ``--out g.dot`` saves the text.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Annotated, Any

import typer

_RENDERED = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
_INSTALL_HINT = ("install Graphviz to render images (Debian/Ubuntu: apt install graphviz; "
                 "macOS: brew install graphviz; conda: conda install graphviz), or use "
                 "--out graph.dot to save the DOT text")


def parse_variables(args: list[str], names: tuple[str, ...]) -> dict[str, float]:
    """Read ``--x 2 --y=1 z=3`` into {'x': 2.0, 'y': 1.0, 'z': 3.0}, checking every name."""
    values: dict[str, float] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--debug":
            raise ValueError("put --debug before the subcommand: mlplab --debug graph ...")
        if arg.startswith("--"):
            name, eq, text = arg[2:].partition("=")
            if not eq:
                if i + 1 >= len(args):
                    raise ValueError(f"--{name} needs a value, e.g. --{name} 2")
                text = args[i + 1]
                i += 1
        elif "=" in arg:
            name, _, text = arg.partition("=")
        else:
            raise ValueError(f"unexpected argument {arg!r}; give variables as --x 2 or x=2")
        i += 1
        if name not in names:
            from mlplab.checks import closest

            close = closest(name, names)
            hint = f"; did you mean --{close}?" if close else ""
            used = ", ".join(names) or "no variables"
            raise ValueError(f"--{name}: the expression has no variable {name!r} "
                             f"(it uses {used}){hint}")
        try:
            values[name] = float(text)
        except ValueError:
            raise ValueError(f"--{name}: expected a number, got {text!r}") from None
    missing = [n for n in names if n not in values]
    if missing:
        raise ValueError("no value for " + ", ".join(missing) + "; pass "
                         + " ".join(f"--{n} VALUE" for n in missing))
    return values


def _render(dot_text: str, out: Path) -> str:
    """Write the DOT text or render it; return a line saying what was written."""
    suffix = out.suffix.lower()
    if suffix in ("", ".dot", ".gv"):
        out.write_text(dot_text, encoding="utf-8")
        return f"wrote DOT to {out}"
    if suffix not in _RENDERED:
        raise ValueError(f"--out: unknown file type {suffix!r}; use .svg, .png, .pdf or .dot")
    dot = shutil.which("dot")
    if dot is None:
        raise OSError(f"cannot render {out}: Graphviz's 'dot' program was not found; "
                      + _INSTALL_HINT)
    done = subprocess.run([dot, f"-T{_RENDERED[suffix]}", "-o", str(out)], input=dot_text,
                          text=True, capture_output=True, check=False)
    if done.returncode != 0:
        raise OSError(f"dot failed to render {out}: {done.stderr.strip()}")
    return f"rendered the graph to {out}"


def evaluate(expression: str, args: list[str]) -> tuple[Any, dict[str, Any]]:
    """Parse ``expression``, bind its variables from ``args``, run forward and backward.

    Returns f (with every node's gradient retained) and the input tensors by name.
    """
    from mlplab.autograd import tensor
    from mlplab.autograd.expression import parse
    from mlplab.graph import retain_grads

    expr = parse(expression)
    values = parse_variables(args, expr.variables)
    inputs = {name: tensor(v, dtype="float64", requires_grad=True, name=name)
              for name, v in values.items()}
    f = expr(**inputs)
    retain_grads(f)
    if f.requires_grad:
        f.backward()
    return f, inputs


def gradients_table(inputs: dict[str, Any]) -> Any:
    """One row per variable: its value and ∂f/∂variable."""
    from rich.table import Table

    table = Table(title="gradients (one backward pass)")
    table.add_column("variable")
    table.add_column("value", justify="right")
    table.add_column("∂f/∂variable", justify="right")
    for name, t in inputs.items():
        g = "0" if t.grad is None else f"{float(t.grad):.10g}"
        table.add_row(name, f"{float(t.data):g}", g)
    return table


def nodes_table(f: Any) -> Any:
    """One row per node of f's graph: name, op, value and ∂f/∂node."""
    from rich.markup import escape
    from rich.table import Table

    from mlplab.graph import format_array, nodes, op_label

    table = Table(title="every node of the graph")
    for column in ("node", "op", "value", "∂f/∂node"):
        table.add_column(column, justify="right" if column != "node" else "left")
    for node in nodes(f):
        label = node.name or ("const" if not node.requires_grad else "")
        grad = "" if node.grad is None else format_array(node.grad)
        kind = "input" if node.requires_grad else "constant"
        table.add_row(escape(label), escape(op_label(node) or kind),
                      escape(format_array(node.data)), escape(grad))
    return table


def register(app: typer.Typer) -> None:
    @app.command(
        "graph",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )
    def graph(
        ctx: typer.Context,
        expression: Annotated[str, typer.Argument(
            metavar="EXPRESSION",
            help="Expression such as 'x*(x+y)' or 'x*exp((3*x)*max(x,y))'.")],
        out: Annotated[Path | None, typer.Option(
            "--out", metavar="FILE",
            help="Write the graph: .svg/.png/.pdf (needs Graphviz) or .dot.")] = None,
        dot: Annotated[bool, typer.Option("--dot/--no-dot", help="Print the DOT text.")] = True,
    ) -> None:
        """Show the computational graph of EXPRESSION with values and gradients.

        Give each variable as --NAME VALUE (or NAME=VALUE) after the expression:

        \b
            mlplab graph "x*(x+y)" --x 2 --y 1

        Allowed: numbers, names, + - * / **, unary -, exp log sqrt abs relu sigmoid tanh max min.
        """
        from rich.markup import escape

        from mlplab.cli import make_console
        from mlplab.graph import format_array, to_dot

        f, inputs = evaluate(expression, list(ctx.args))
        console = make_console()
        console.print(f"[bold]f = {escape(expression)}[/bold]   at "
                      + ", ".join(f"{k} = {float(t.data):g}" for k, t in inputs.items()))
        console.print(f"f = [bold cyan]{escape(format_array(f.data))}[/bold cyan]")
        console.print(gradients_table(inputs))
        console.print(nodes_table(f))
        dot_text = to_dot(f)
        if dot:
            console.print("Graphviz DOT:", style="bold")
            console.print(dot_text, markup=False, highlight=False, soft_wrap=True, end="")
        if out is not None:
            console.print(_render(dot_text, out))
