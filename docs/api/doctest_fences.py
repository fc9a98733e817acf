"""Griffe extension for the API pages: show a docstring's ``>>>`` examples as code.

The docstrings put their examples straight in the text, where the doctests run
them. Markdown would read ``>>>`` as three nested quotes; this wraps each run of
example lines (a ``>>>`` line, then its continuations and output up to a blank
line) in a ```` ```pycon ```` fence. Examples indented under an ``Examples:``
section are left to griffe, which already shows them as code.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """The docstring text with every unindented run of doctest lines fenced."""
    lines: list[str] = []
    inside = False
    for line in text.splitlines():
        if not inside and line.startswith(">>>"):
            lines.append("```pycon")
            inside = True
        elif inside and not line.strip():
            lines.append("```")
            inside = False
        lines.append(line)
    if inside:
        lines.append("```")
    return "\n".join(lines)


class DoctestFences(griffe.Extension):
    """Fence the examples of every object's docstring once it is loaded."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
