"""The one vocabulary for checking arguments at the public boundary.

Every layer of mlplab (autograd, nn, optim, data, train, runs, text, the CLI)
checks a user's scalar arguments with this module, so that every mistake reads
the same way::

    Owner: name must be <what is allowed>, got <what was given>; e.g. name=<valid value>

A check is declarative: an object says what it accepts (``ok``) and how to say it
(``describe``), in the style of scikit-learn's ``_parameter_constraints``. A class
lists its arguments once in a table ``{name: constraint}`` and calls
``check_all(owner, values, table)`` when it is built, never inside a hot loop.

Errors are :class:`ParameterError`, a subclass of both ``ValueError`` and
``TypeError``: a wrong value and a wrong type are one kind of mistake to a user,
and code that catches either keeps working.

Only NumPy is imported here, so every package may depend on this module.

>>> check("SGD", "momentum", 0.9, FRACTION)
0.9
>>> try:
...     check("SGD", "momentum", 5, FRACTION)
... except ParameterError as err:
...     print(err)
SGD: momentum must be a finite number in [0, 1), got 5; e.g. momentum=0.9
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

SeedLike = int | np.random.Generator | None
"""An int (a reproducible stream), a ``numpy.random.Generator`` (used as is, its state
shared), or None (fresh entropy from the operating system: not reproducible)."""

MAX_SHOWN = 60
"""Longest ``repr`` of a received value quoted in a message; longer ones are cut."""


class ParameterError(ValueError, TypeError):
    """An argument a user gave is invalid; the message names it and the fix."""


def shown(value: Any) -> str:
    """``repr(value)`` cut to :data:`MAX_SHOWN` characters, so a message never dumps an array."""
    if isinstance(value, np.ndarray) and value.size > 8:
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _is_real(value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, np.ndarray):
        return value.ndim == 0 and value.dtype.kind in "iuf"
    return isinstance(value, numbers.Real)


# ---------------------------------------------------------------- constraints


@dataclass(frozen=True)
class Interval:
    """A real number in an interval; ``closed`` says which ends belong to it.

    ``closed`` is ``"both"``, ``"left"``, ``"right"`` or ``"neither"``.
    ``integer=True`` requires an int (not a float that happens to be whole), as a
    count or a patience must be. NaN and ±inf never pass.
    """

    low: float | None = None
    high: float | None = None
    closed: str = "both"
    integer: bool = False
    example: str = ""

    def ok(self, value: Any) -> bool:
        if self.integer:
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                return False
        elif not _is_real(value):
            return False
        number = float(value)
        if not math.isfinite(number):
            return False
        if self.low is not None and (
            number < self.low or (number == self.low and self.closed in ("right", "neither"))
        ):
            return False
        return not (self.high is not None and (
            number > self.high or (number == self.high and self.closed in ("left", "neither"))
        ))

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a finite number"
        low_in, high_in = self.closed in ("both", "left"), self.closed in ("both", "right")
        if self.low is not None and self.high is not None:
            left, right = "[" if low_in else "(", "]" if high_in else ")"
            return f"{kind} in {left}{self.low:g}, {self.high:g}{right}"
        if self.low is not None:
            return f"{kind} {'>=' if low_in else '>'} {self.low:g}"
        if self.high is not None:
            return f"{kind} {'<=' if high_in else '<'} {self.high:g}"
        return kind


@dataclass(frozen=True)
class OneOf:
    """One of a fixed set of values (names, usually); a near miss gets "did you mean"."""

    options: tuple[Any, ...]
    example: str = ""

    def ok(self, value: Any) -> bool:
        try:
            return value in self.options
        except (TypeError, ValueError):  # an array or odd value is never an option
            return False

    def describe(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)

    def hint(self, value: Any) -> str:
        names = [o for o in self.options if isinstance(o, str)]
        return did_you_mean(value, names) if isinstance(value, str) else ""


@dataclass(frozen=True)
class Boolean:
    """``True`` or ``False`` (not 0/1, not a string)."""

    example: str = "True"

    def ok(self, value: Any) -> bool:
        return isinstance(value, bool | np.bool_)

    def describe(self) -> str:
        return "True or False"


@dataclass(frozen=True)
class Pair:
    """A pair of values, each satisfying ``item`` (Adam's ``betas``)."""

    item: Any
    example: str = ""

    def ok(self, value: Any) -> bool:
        return (isinstance(value, tuple | list) and len(value) == 2
                and all(self.item.ok(v) for v in value))

    def describe(self) -> str:
        return f"a pair, each {self.item.describe()}"


@dataclass(frozen=True)
class InstanceOf:
    """An instance of one of ``types``; ``what`` names them for a reader."""

    types: tuple[type, ...]
    what: str
    example: str = ""

    def ok(self, value: Any) -> bool:
        return isinstance(value, self.types)

    def describe(self) -> str:
        return self.what


@dataclass(frozen=True)
class Satisfies:
    """Anything ``test`` accepts; ``what`` says what that is."""

    test: Callable[[Any], bool]
    what: str
    example: str = ""

    def ok(self, value: Any) -> bool:
        try:
            return bool(self.test(value))
        except (TypeError, ValueError):
            return False

    def describe(self) -> str:
        return self.what


@dataclass(frozen=True)
class AnyOf:
    """Passes when one of ``constraints`` passes (e.g. an int or None)."""

    constraints: tuple[Any, ...]
    example: str = ""

    def ok(self, value: Any) -> bool:
        return any(c.ok(value) for c in self.constraints)

    def describe(self) -> str:
        return " or ".join(c.describe() for c in self.constraints)

    def hint(self, value: Any) -> str:
        """The first "did you mean" one of the constraints has for ``value`` (a name)."""
        return next((h for c in self.constraints if hasattr(c, "hint") and (h := c.hint(value))),
                    "")


@dataclass(frozen=True)
class IsNone:
    example: str = "None"

    def ok(self, value: Any) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


POSITIVE_INT = Interval(1, None, integer=True, example="32")
NON_NEGATIVE_INT = Interval(0, None, integer=True, example="0")
POSITIVE = Interval(0.0, None, "neither", example="1e-3")
NON_NEGATIVE = Interval(0.0, None, "left", example="0.0")
FRACTION = Interval(0.0, 1.0, "left", example="0.9")
"""[0, 1): a probability that must leave something (dropout p, a decay factor β)."""
PROBABILITY = Interval(0.0, 1.0, "both", example="0.5")
BOOLEAN = Boolean()
NONE = IsNone()


def optional(constraint: Any) -> AnyOf:
    """``constraint`` or None."""
    return AnyOf((constraint, NONE), example=getattr(constraint, "example", ""))


# ---------------------------------------------------------------- checking


def check(owner: str, name: str, value: Any, constraint: Any) -> Any:
    """Return ``value`` if it satisfies ``constraint``, else raise one clear ParameterError."""
    if constraint.ok(value):
        return value
    raise invalid(owner, name, value, constraint)


def invalid(owner: str, name: str, value: Any, constraint: Any) -> ParameterError:
    """The error for ``value`` violating ``constraint``, in the one message style."""
    hint = constraint.hint(value) if hasattr(constraint, "hint") else ""
    example = getattr(constraint, "example", "")
    fix = f"; e.g. {name}={example}" if example and not hint else ""
    return ParameterError(
        f"{owner}: {name} must be {constraint.describe()}, got {shown(value)}{hint}{fix}"
    )


def check_all(owner: str, values: Mapping[str, Any], table: Mapping[str, Any],
              *, skip: Iterable[str] = ("params",)) -> None:
    """Check every entry of ``values`` against ``table``; an unknown name is an error too."""
    skipped = set(skip)
    for name, value in values.items():
        if name in skipped:
            continue
        if name not in table:
            raise unknown(owner, "option", name, table)
        check(owner, name, value, table[name])


def check_positive_int(value: Any, name: str, owner: str = "") -> int:
    """``value`` as an int >= 1."""
    return int(check(owner or name, name, value, POSITIVE_INT))


def check_non_negative_int(value: Any, name: str, owner: str = "") -> int:
    """``value`` as an int >= 0."""
    return int(check(owner or name, name, value, NON_NEGATIVE_INT))


def check_number(value: Any, name: str, owner: str = "", *, low: float | None = None,
                 high: float | None = None, closed: str = "both") -> float:
    """``value`` as a float inside [low, high] (ends open as ``closed`` says)."""
    return float(check(owner or name, name, value, Interval(low, high, closed)))


def check_fraction(value: Any, name: str, owner: str = "") -> float:
    """``value`` as a float in [0, 1)."""
    return float(check(owner or name, name, value, FRACTION))


def check_one_of(value: Any, name: str, options: Iterable[Any], owner: str = "") -> Any:
    """``value`` if it is one of ``options``; a near-miss name gets "did you mean"."""
    return check(owner or name, name, value, OneOf(tuple(options)))


# ---------------------------------------------------------------- names


def closest(name: Any, valid: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The valid name closest to ``name`` (difflib ratio >= ``cutoff``), or None."""
    valid = [str(v) for v in valid]
    match = difflib.get_close_matches(str(name), valid, n=1, cutoff=cutoff)
    if match:
        return match[0]
    lowered = {v.lower(): v for v in valid}  # "Adam" for "adam" even when short
    return lowered.get(str(name).lower())


def did_you_mean(name: Any, valid: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest valid name, or ``""``."""
    match = closest(name, valid)
    return f"; did you mean {match!r}?" if match else ""


def unknown(owner: str, kind: str, name: Any, valid: Iterable[str],
            *, max_listed: int = 12) -> ParameterError:
    """The error for a name that is not in ``valid``: the closest one and the valid names."""
    names = sorted(str(v) for v in valid)
    listed = ", ".join(names[:max_listed]) + (", ..." if len(names) > max_listed else "")
    return ParameterError(
        f"{owner}: unknown {kind} {shown(name)}{did_you_mean(name, names)}; valid: {listed}"
    )


# ---------------------------------------------------------------- random streams


def as_generator(seed: SeedLike, *, name: str = "seed", owner: str = "") -> np.random.Generator:
    """Turn ``seed`` (int >= 0, ``numpy.random.Generator`` or None) into a Generator.

    A Generator is used as is (shared state, so one seed can feed several consumers
    in turn); an int gives ``numpy.random.default_rng(seed)``; None gives fresh
    entropy. The global ``np.random`` state is never touched.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    check(owner or name, name, seed, SEED)
    return np.random.default_rng(int(seed))


SEED = AnyOf((NON_NEGATIVE_INT, InstanceOf((np.random.Generator,), "a numpy.random.Generator"),
              NONE), example="0")


def spawn(seed: SeedLike, n: int) -> list[np.random.Generator]:
    """``n`` statistically independent child Generators derived from ``seed``.

    Uses ``Generator.spawn`` (NumPy's SeedSequence tree); a Generator restored from
    a bare state has no seed sequence, so its children are seeded from its draws.
    """
    parent = as_generator(seed)
    if n == 0:
        return []
    try:
        return parent.spawn(n)
    except (TypeError, ValueError, AttributeError):
        seeds = parent.integers(0, 2**63 - 1, size=n)
        return [np.random.default_rng(int(s)) for s in seeds]


def is_sparse(X: Any) -> bool:
    """True for SciPy sparse matrices and arrays (detected without importing SciPy)."""
    # The ndarray test first: this runs on every forward pass of a Linear layer.
    return type(X) is not np.ndarray and hasattr(X, "tocsr") and hasattr(X, "nnz")
