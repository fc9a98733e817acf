"""Run the code blocks of a page and compare what they print with what the page shows."""

from __future__ import annotations

import contextlib
import doctest
import io
import math
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.docs.markdown_blocks import Block, shell_commands

MLPLAB = Path(sys.executable).parent / "mlplab"  # the venv's command, not one on PATH
RELATIVE_TOLERANCE = 0.05  # for outputs marked <!-- output: approximate -->
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def outputs_match(expected: str, actual: str, approximate: bool = False) -> bool:
    """Exact match line by line (trailing spaces ignored), ``...``/``…`` matching anything.

    With ``approximate``, the text between numbers must match and each number must
    agree within ``RELATIVE_TOLERANCE``.
    """
    expected = "\n".join(line.rstrip() for line in expected.strip("\n").splitlines())
    actual = "\n".join(line.rstrip() for line in actual.strip("\n").splitlines())
    expected = expected.replace("…", "...")
    if approximate:
        want, got = NUMBER.findall(expected), NUMBER.findall(actual)
        if len(want) != len(got) or NUMBER.sub("0", expected) != NUMBER.sub("0", actual):
            return False
        return all(math.isclose(float(w), float(g), rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-9)
                   for w, g in zip(want, got, strict=True))
    return doctest.OutputChecker().check_output(expected + "\n", actual + "\n", doctest.ELLIPSIS)


def run_python(block: Block, namespace: dict) -> None:
    """Execute a python block in the page's namespace; check its printed output if shown."""
    if block.code.lstrip().startswith(">>>"):
        _run_doctest(block, namespace)
        return
    # leading newlines make traceback line numbers those of the Markdown file
    code = compile("\n" * (block.line - 1) + block.code, block.page, "exec")
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)  # noqa: S102 - the project's own documentation
    except BaseException as err:
        err.add_note(f"raised by {block.where}")
        raise
    if block.output is not None:
        shown = block.output.code
        assert outputs_match(shown, printed.getvalue(), block.output.approximate), (
            f"{block.where} prints something else than the page shows "
            f"(line {block.output.line}).\n--- shown ---\n{shown}--- printed ---\n"
            f"{printed.getvalue()}")


def _run_doctest(block: Block, namespace: dict) -> None:
    test = doctest.DocTestParser().get_doctest(block.code, namespace, block.where,
                                               block.page, block.line - 1)
    report = io.StringIO()
    result = doctest.DocTestRunner(optionflags=DOCTEST_FLAGS).run(
        test, out=report.write, clear_globs=False)
    assert result.failed == 0, f"{block.where}: doctest failed\n{report.getvalue()}"


def run_shell(block: Block, env: dict[str, str], long_commands: dict[str, str],
              shortened: dict[str, list[str]]) -> None:
    """Run the block's ``mlplab`` commands, except those in ``long_commands``.

    A command that starts with a key of ``shortened`` runs with those flags appended.

    A command shown with its output (console blocks) must print that output (its exit
    status is then free: error examples end with status 1); otherwise it must succeed.
    """
    for command, shown in shell_commands(block.code):
        argv = shlex.split(command, comments=True)
        if not argv or argv[0] != "mlplab":
            continue  # make, pip, python …: shown to the reader, not run here
        if any(command.startswith(prefix) for prefix in long_commands):
            continue  # reported as a skip by the test
        extra = next((flags for prefix, flags in shortened.items()
                      if command.startswith(prefix)), [])
        done = subprocess.run([str(MLPLAB), *argv[1:], *extra], env=env, capture_output=True,
                              text=True, timeout=600, check=False)
        printed = done.stdout + done.stderr
        where = f"{block.where}: `{command}`"
        if shown:
            assert outputs_match("\n".join(shown), printed), (
                f"{where} prints something else than the page shows.\n--- shown ---\n"
                + "\n".join(shown) + f"\n--- printed ---\n{printed}")
        else:
            assert done.returncode == 0, f"{where} failed (status {done.returncode}):\n{printed}"


def command_env(datasets: Path) -> dict[str, str]:
    """The environment of a documented command: quiet plots, the datasets, wide output."""
    return {**os.environ, "MPLBACKEND": "Agg", "MLPLAB_DATA": str(datasets),
            "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
