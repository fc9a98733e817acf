"""The ``mlplab`` command: one typer app, one module per subcommand.

Adding a subcommand: write ``mlplab/cli/<name>.py`` with a ``register(app)``
function that decorates its command(s) with ``@app.command(...)``, then add the
module name to ``COMMAND_MODULES``. Command modules import the library lazily so
``mlplab --help`` stays fast.

Help: click's plain formatter (``rich_markup_mode=None``), so a ``[default: …]`` written
in a help text shows as written, and every line fits the terminal (80 columns
at most) without cutting a value short.

Errors: a user mistake (bad expression, wrong shape, missing file, …) ends the
command with exit status 1 and one red line on stderr; ``--debug`` shows the
traceback instead. Usage errors (unknown option, missing argument) are click's
own, with exit status 2. Ctrl-C ends a command with one line on stderr (for a
training run: where its checkpoint is and the command that resumes it) and exit
status 130. Python warnings become one yellow ``warning:`` line each, shown once
(:mod:`mlplab.cli.notices`); ``--debug`` shows them in Python's own form.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from mlplab.cli.notices import describe, one_line_warnings, report_interrupt

if TYPE_CHECKING:
    from rich.console import Console

COMMAND_MODULES = ("graph_cmd", "gradcheck_cmd", "demo", "lab_cmd", "playground_cmd",
                   "train_cmd", "evaluate_cmd", "predict_cmd", "run_cmd", "export_cmd",
                   "tune_cmd")
"""Subcommand modules under ``mlplab.cli``, each with a ``register(app)`` function."""

USER_ERRORS = (ValueError, TypeError, LookupError, OSError, RuntimeError, ArithmeticError)
"""Exceptions reported as a one-line message (the library raises these for bad input)."""


def _passed_through() -> tuple[type[BaseException], ...]:
    """Exceptions the command-line framework itself reports (usage errors, exit, abort)."""
    kinds: list[type[BaseException]] = [typer.Exit, typer.Abort]
    if hasattr(typer, "TyperException"):  # typer ≥ 0.2x vendors click under this base class
        kinds.append(typer.TyperException)
    else:  # pragma: no cover - older typer on top of click
        from click import ClickException

        kinds.append(ClickException)
    return tuple(kinds)


_FRAMEWORK_EXCEPTIONS = _passed_through()


def report_error(err: BaseException) -> None:
    """Print the one red line for ``err`` on stderr (with the notes the library added)."""
    message = " ".join(describe(err).split())
    if not isinstance(err, USER_ERRORS):
        message = (f"internal error ({type(err).__name__}: {message}); rerun with --debug for "
                   "the traceback and please report it")
    typer.secho(f"error: {message}", fg="red", err=True)


def make_console() -> Console:
    """The rich Console a command prints its results with.

    In a terminal rich wraps long lines at word boundaries; written to a file or a
    pipe a line stays whole (``soft_wrap``) instead of being broken at rich's
    default 80 columns. Tables fit the width either way.
    """
    from rich.console import Console

    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


class HelpGroup(TyperGroup):
    """A command group whose help lists each subcommand with the whole first sentence of
    its help, wrapped (click would cut it to one line with "...")."""

    def format_commands(self, ctx: typer.Context, formatter) -> None:
        rows = [(name, command.get_short_help_str(limit=sys.maxsize))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class _Group(HelpGroup):
    """Reports exceptions from a command as one red line and exit status 1, and Ctrl-C as
    one line and exit status 130 (unless --debug); warnings as one-line notices."""

    def invoke(self, ctx: typer.Context):
        debug = bool(ctx.params.get("debug"))
        try:
            with one_line_warnings(enabled=not debug):
                return super().invoke(ctx)
        except _FRAMEWORK_EXCEPTIONS:
            raise
        except KeyboardInterrupt as stop:
            if debug:
                raise
            report_interrupt(stop)
            raise typer.Exit(130) from None
        except Exception as err:
            if debug:
                raise
            report_error(err)
            raise typer.Exit(1) from err


app = typer.Typer(
    name="mlplab",
    cls=_Group,
    help="mlplab: multilayer perceptrons you can read, check and run.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    """mlplab: multilayer perceptrons you can read, check and run."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``mlplab`` console script and ``python -m mlplab``."""
    try:
        app(args=argv, prog_name="mlplab", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


__all__ = ["COMMAND_MODULES", "HelpGroup", "app", "main", "make_console", "report_error"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
