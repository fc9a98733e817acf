"""Running one row of the bad-input tables: a CLI call or an API call that must fail well.

A row is (arguments, expected error type, words the message must hold). It passes
when the call fails with that type, says all the words on one line (the CLI: exit
status 1, ``error: …``, no traceback; the API: the exception's message, no longer
than a few hundred characters, never a dump of values) and leaves no file behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

MAX_MESSAGE = 500
"""The longest one-line message allowed: a message that lists hundreds of values fails."""


@dataclass(frozen=True)
class Row:
    """One bad input: what is run, the error type it must raise, the words it must say."""

    id: str
    call: Any  # CLI: a list of arguments with {placeholders}; API: a function of the fixtures
    error: type[BaseException]
    words: tuple[str, ...]

    def param(self) -> Any:
        return pytest.param(self, id=self.id)


def row(id: str, call: Any, error: type[BaseException], *words: str) -> Any:
    return Row(id, call, error, words).param()


def check_message(message: str, case: Row) -> None:
    """Every word of ``case`` is in the one-line ``message``, which stays short."""
    assert "\n" not in message.strip(), message
    assert len(message) <= MAX_MESSAGE, f"{len(message)} characters: {message}"
    for word in case.words:
        assert word.lower() in message.lower(), f"{word!r} not in: {message}"
