"""Small helpers shared by the nn package: seeds, name look-ups, argument checks.

They keep the public boundary's error messages in one form: the argument, what
was expected, what was received, and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from mlplab.backend import xp

SeedLike = Any  # int | numpy.random.Generator | None
"""An int (a reproducible stream), a ``numpy.random.Generator`` (used as is), or None
(fresh entropy from the operating system: not reproducible)."""

REDUCTIONS = ("mean", "sum", "none")


def as_generator(seed: SeedLike, *, name: str = "seed") -> Any:
    """Turn ``seed`` (int, ``numpy.random.Generator`` or None) into a Generator.

    A Generator is used as is (its state is shared, so one seed can feed several
    consumers in turn); an int gives ``default_rng(seed)``; None gives fresh entropy.
    """
    if isinstance(seed, xp.random.Generator):
        return seed
    if seed is None:
        return xp.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, int | xp.integer):
        raise TypeError(
            f"{name}: expected an int, a numpy.random.Generator or None, got "
            f"{type(seed).__name__}; pass e.g. {name}=0"
        )
    if seed < 0:
        raise ValueError(f"{name}: expected a non-negative int, got {seed}")
    return xp.random.default_rng(int(seed))


def spawn(seed: SeedLike, n: int) -> list[Any]:
    """``n`` statistically independent child Generators derived from ``seed``.

    Uses ``Generator.spawn`` (NumPy's SeedSequence tree); a Generator restored from a
    bare state has no seed sequence, so its children are seeded from its own draws.
    """
    parent = as_generator(seed)
    if n == 0:
        return []
    try:
        return parent.spawn(n)
    except (TypeError, ValueError, AttributeError):
        seeds = parent.integers(0, 2**63 - 1, size=n)
        return [xp.random.default_rng(int(s)) for s in seeds]


def closest(name: str, choices: Iterable[str]) -> str:
    """' Did you mean 'x'?' for the closest valid name, or '' when nothing is close."""
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f" Did you mean {match[0]!r}?" if match else ""


def unknown_name(kind: str, name: str, choices: Iterable[str]) -> ValueError:
    """The error for a name missing from a registry, suggesting the closest one."""
    choices = sorted(choices)
    return ValueError(
        f"unknown {kind} {name!r}.{closest(name, choices)} Valid names: {', '.join(choices)}"
    )


def check_reduction(reduction: str, where: str) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"{where}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}."
            f"{closest(str(reduction), REDUCTIONS)}"
        )
    return reduction


def check_positive_int(value: Any, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | xp.integer) or value < 1:
        raise ValueError(f"{where}: {name} must be a positive int, got {value!r}")
    return int(value)


def check_number(value: Any, name: str, where: str, *, low: float | None = None,
                 high: float | None = None, low_open: bool = False,
                 high_open: bool = False) -> float:
    """A real number inside [low, high] (each end open when asked)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: {name} must be a number, got {value!r}") from None
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high or number != number:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        low_text = "-inf" if low is None else low
        high_text = "inf" if high is None else high
        interval = f"{left}{low_text}, {high_text}{right}"
        raise ValueError(f"{where}: {name} must be in {interval}, got {value!r}")
    return number
