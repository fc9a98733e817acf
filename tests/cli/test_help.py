"""Every ``--help`` reads well at 80 columns: defaults shown, nothing cut, no squeezed column.

The subcommands are walked from the app itself, so a flag or a command added
later is checked without touching this file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata

import pytest
import typer
from typer.testing import CliRunner

from mlplab.cli import app

WIDTH = 80
CUT = re.compile(r"\w(…|\.\.\.)")  # a word cut short; "[ARGS]..." and "elu, …" are not cuts
runner = CliRunner()


def _commands(command, path: tuple[str, ...] = ()):
    """(path, command) for ``command`` and every subcommand below it (typer vendors click,
    so groups are told apart by their ``commands``)."""
    yield path, command
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(typer.main.get_command(app)))


def _help(path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    return result.output


def _columns(line: str) -> int:
    """Terminal cells a line takes (a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _flat(text: str) -> str:
    """Text without its line breaks (click may also break a line after a hyphen)."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def _entries(text: str) -> list[tuple[str, str]]:
    """Each option's (names column, whole help entry): its lines up to the next option."""
    entries: list[tuple[str, str]] = []
    for line in text.split("Options:", 1)[-1].splitlines():
        if re.match(r"  -", line):
            entries.append((line.strip().split("  ")[0], line.strip()))
        elif entries and line.strip():
            entries[-1] = (entries[-1][0], entries[-1][1] + " " + line.strip())
    return entries


def _entry_of(option, entries: list[tuple[str, str]]) -> str:
    names = re.compile(r"(^|[\s,/])(" + "|".join(map(re.escape, option.opts)) + r")([\s,]|$)")
    found = [entry for column, entry in entries if names.search(column)]
    assert len(found) == 1, (option.opts, entries)
    return found[0]


def _is_option(param) -> bool:
    return param.param_type_name == "option" and not param.hidden


def _shows_default(option) -> bool:
    if option.name == "help" or option.default is None:
        return False
    flag_off = option.is_flag and not option.secondary_opts and option.default is False
    return not flag_off and option.default != () and option.default != []


def test_the_walk_finds_every_subcommand():
    names = {" ".join(path) for path in COMMANDS}
    assert {"train", "run", "graph", "gradcheck", "demo", "lab list", "lab run",
            "playground"} <= names


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "mlplab")
def test_help_fits_80_columns_and_cuts_nothing(path):
    text = _help(path)
    long = [line for line in text.splitlines() if _columns(line) > WIDTH]
    assert long == []
    assert [line for line in text.splitlines() if CUT.search(line)] == []
    assert [line for line in text.splitlines() if line.endswith(" .")] == []
    # descriptions keep at least half the width (no column squeezed to a word per line)
    assert [line for line in text.splitlines()
            if len(line) - len(line.lstrip()) > WIDTH // 2] == []
    command = COMMANDS[path]
    for param in command.params:
        if param.help:  # every help text appears whole, whatever the wrapping
            assert _flat(param.help) in _flat(text), param.name
    if hasattr(command, "commands"):
        for sub in command.commands.values():
            assert _flat(sub.get_short_help_str(limit=10**6)) in _flat(text)


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "mlplab")
def test_every_option_has_help_and_shows_its_default(path):
    entries = _entries(_help(path))
    for param in COMMANDS[path].params:
        if not _is_option(param):
            continue
        name = max(param.opts, key=len)
        entry = _entry_of(param, entries)
        assert param.help and param.help.strip(), f"{name} has no help text"
        if _shows_default(param) or "default" in param.help:
            assert "default: " in entry, f"{name} hides its default: {entry!r}"


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "mlplab")
def test_examples_keep_one_command_per_line(path):
    # click reflows a paragraph unless it starts with \b; a reflowed example is unreadable
    description = _help(path).split("Options:", 1)[0].split("Arguments:", 1)[0]
    lines = description.splitlines()[1:]  # after the usage line
    inline = [line for line in lines if re.search(r"\S.*\bmlplab [a-z]+ -", line)
              and not re.match(r"\s*mlplab ", line)]
    assert inline == [], "start the examples with a \\b line, one command per line"


def test_train_help_shows_the_data_syntax_and_its_defaults():
    text = _help(("train",))
    flat = _flat(text)
    assert "csv:PATH" in flat and "synthetic:NAME" in flat and "fashion-mnist[:PATH]" in flat
    assert "default: digits" in flat
    lr = next(p for p in COMMANDS[("train",)].params if p.name == "lr")
    assert "default: 0.001" in _entry_of(lr, _entries(text))


def test_help_written_to_a_pipe_fits_80_columns():
    env = {**os.environ, "COLUMNS": str(WIDTH)}
    done = subprocess.run([sys.executable, "-m", "mlplab", "train", "--help"], env=env,
                          capture_output=True, text=True, check=True)
    assert max(_columns(line) for line in done.stdout.splitlines()) <= WIDTH
    assert "csv:PATH[,target=COL]" in done.stdout
