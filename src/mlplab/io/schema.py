"""Checks on the JSON inside a model file, run before anything is built from it.

A model file comes from outside: its JSON may be malformed, nested without end, or
typed wrongly anywhere. Every reader in ``mlplab.io`` parses it with
:func:`parse_json`, which measures the nesting before parsing (so a deep file cannot
exhaust the stack), and checks each field's type with :func:`expect` before using
it; :func:`check_depth` bounds trees built in memory (what is about to be saved).
Problems are raised as :class:`Invalid`; the public functions turn them into one
``ModelFileError`` line that names the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.checks import InstanceOf, ParameterError, check, shown

MAX_DEPTH = 64
"""Deepest JSON nesting read or written (a real description or state stays under 20)."""

JSON_OBJECT = InstanceOf((dict,), "a JSON object")
JSON_LIST = InstanceOf((list,), "a JSON list")
TEXT = InstanceOf((str,), "a string")


class ModelFileError(ValueError):
    """A model or checkpoint file that cannot be read: corrupted, foreign, hostile or too new."""


class Invalid(ValueError):
    """What is wrong inside a file; the caller adds the file's name."""


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces collapsed (messages are one line)."""
    return " ".join(str(text).split())


@contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Turn a problem found in the file's content into a ``ModelFileError`` naming ``path``."""
    try:
        yield
    except (Invalid, ParameterError) as err:
        raise ModelFileError(one_line(f"{path}: {err}")) from None


def parse_json(text: str | bytes, what: str, limit: int = MAX_DEPTH + 2) -> Any:
    """``json.loads(text)``; corrupted JSON, or JSON nested deeper than ``limit``, raises
    ``Invalid`` (the depth is measured first, so the parser never recurses deeply)."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if json_depth(raw) > limit:
        raise Invalid(f"{what} is nested more than {limit} levels deep (or corrupted)")
    try:
        return json.loads(raw)
    except RecursionError:  # pragma: no cover - json_depth has ruled it out
        raise Invalid(f"{what} is nested too deeply to be an mlplab file") from None
    except (ValueError, UnicodeDecodeError) as err:  # JSONDecodeError, a 5,000-digit number
        raise Invalid(f"{what} is corrupted ({one_line(str(err))[:200]})") from None


# a JSON string literal: quotes around non-quote characters and backslash escapes
_STRING_LITERAL = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def json_depth(text: bytes, chunk: int = 1 << 20) -> int:
    """Deepest nesting of ``[ ]`` and ``{ }`` in JSON text, outside strings.

    Computed as the running maximum of (opened − closed) brackets, one chunk at a time
    with NumPy, so it takes linear time, no recursion and little memory.
    """
    structure = _STRING_LITERAL.sub(b"", text)
    depth = deepest = 0
    for start in range(0, len(structure), chunk):
        codes = np.frombuffer(structure, np.uint8, min(chunk, len(structure) - start), start)
        steps = np.zeros(len(codes), np.int32)
        steps[(codes == ord("[")) | (codes == ord("{"))] = 1
        steps[(codes == ord("]")) | (codes == ord("}"))] = -1
        levels = np.cumsum(steps) + depth
        deepest, depth = max(deepest, int(levels.max())), int(levels[-1])
    return deepest


def check_depth(tree: Any, what: str, limit: int = MAX_DEPTH) -> None:
    """Refuse a JSON tree nested more than ``limit`` levels (walked without recursion)."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise Invalid(f"{what} is nested more than {limit} levels deep")
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)


def expect(where: str, name: str, value: Any, constraint: Any) -> Any:
    """``checks.check`` for a field of the file, reported as ``Invalid`` (a file's fault)."""
    try:
        return check(where, name, value, constraint)
    except ParameterError as err:
        raise Invalid(str(err).split("; e.g.")[0]) from None


def describe_value(value: Any) -> str:
    """A short, one-line picture of a value read from a file."""
    return one_line(shown(value))
