"""What the command line says when something is off: errors, warnings and Ctrl-C, one line each.

A library warning printed by Python names a source file and repeats a line of code
(``…/experiment.py:145: UserWarning: …``); NumPy's ``RuntimeWarning: overflow
encountered in matmul`` does the same. On the command line each warning becomes
one yellow ``warning: <message>`` line on stderr, shown once. An ``OSError`` is
said with the path the user gave (``data.csv: permission denied``), and the notes
the library attached to an exception (what happened to the run folder) follow
its message.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

__all__ = ["describe", "one_line_warnings", "report_interrupt"]

_OS_HINTS = {"Permission denied": "check its permissions",
             "Read-only file system": "choose a writable folder"}


def describe(err: BaseException) -> str:
    """The message of ``err`` for a person: an OSError as 'PATH: what went wrong', then the
    exception's notes."""
    text = str(err)
    filename, reason = getattr(err, "filename", None), getattr(err, "strerror", None)
    if isinstance(err, OSError) and filename is not None and reason:
        hint = _OS_HINTS.get(reason)
        text = f"{filename}: {reason[0].lower()}{reason[1:]}" + (f"; {hint}" if hint else "")
    notes = [str(note) for note in getattr(err, "__notes__", ())]
    text = text or type(err).__name__
    return "; ".join([text.rstrip(".") if notes else text, *notes])


def _show(message: Any, category: type[Warning], filename: str, lineno: int, file: Any = None,
          line: str | None = None, *, seen: set[str]) -> None:
    text = " ".join(str(message).split())
    if "numpy" in filename.replace("\\", "/").split("/"):  # NumPy's own, e.g. an overflow
        text = f"NumPy: {text}"
    if text in seen:
        return
    seen.add(text)
    typer.secho(f"warning: {text}", fg="yellow", err=True)


@contextmanager
def one_line_warnings(enabled: bool = True) -> Iterator[None]:
    """While the block runs, print each distinct warning as one ``warning:`` line."""
    if not enabled:
        yield
        return
    seen: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # once per place, as Python does by default

        def show(*args: Any, **kwargs: Any) -> None:
            _show(*args, **kwargs, seen=seen)

        warnings.showwarning = show
        yield


def report_interrupt(stop: BaseException) -> None:
    """One line for Ctrl-C: where training stopped and how to resume, when it was training."""
    epoch, batch = getattr(stop, "epoch", None), getattr(stop, "batch", None)
    where = f" at epoch {epoch}, batch {batch}" if epoch is not None else ""
    notes = "; ".join(str(note) for note in getattr(stop, "__notes__", ()))
    if not notes and getattr(stop, "checkpoint", None) is not None:
        notes = f"checkpoint: {stop.checkpoint}"
    typer.secho(f"interrupted{where}" + (f"; {notes}" if notes else ""), fg="yellow",
                err=True)
