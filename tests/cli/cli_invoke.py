"""Running ``mlplab`` commands in-process for the CLI tests."""

from __future__ import annotations

from typer.testing import CliRunner

from mlplab.cli import app

runner = CliRunner()


def invoke(*args):
    """``mlplab ARGS…`` (each argument passed through ``str``, so paths work as they are)."""
    return runner.invoke(app, [str(a) for a in args])
