"""Declarative checks for hyper-parameters and parameter lists, with one message form.

Each optimizer and schedule lists its arguments in a table ``{name: constraint}``;
``check`` turns a violation into a one-line error that names the owner, the
argument, what was expected, what was received, and an example of a valid value.
The checks run when the object is built (or a parameter group is added), never
inside ``step()``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mlplab.autograd.tensor import Tensor


def _is_real(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return not hasattr(value, "__len__") or getattr(value, "ndim", 1) == 0


@dataclass(frozen=True)
class Interval:
    """A real number in an interval; ``closed`` says which ends are included.

    ``integer=True`` also requires a whole number (a step count, a patience).
    NaN and ±inf never pass.
    """

    low: float | None = None
    high: float | None = None
    closed: str = "both"  # "both", "left", "right" or "neither"
    integer: bool = False
    example: str = ""

    def ok(self, value: Any) -> bool:
        if not _is_real(value):
            return False
        v = float(value)
        if not math.isfinite(v) or (self.integer and v != int(v)):
            return False
        if self.low is not None:
            if v < self.low or (v == self.low and self.closed in ("right", "neither")):
                return False
        if self.high is not None:
            if v > self.high or (v == self.high and self.closed in ("left", "neither")):
                return False
        return True

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a finite number"
        lo_in = self.closed in ("both", "left")
        hi_in = self.closed in ("both", "right")
        if self.low is not None and self.high is not None:
            left, right = "[" if lo_in else "(", "]" if hi_in else ")"
            return f"{kind} in {left}{self.low:g}, {self.high:g}{right}"
        if self.low is not None:
            return f"{kind} {'>=' if lo_in else '>'} {self.low:g}"
        if self.high is not None:
            return f"{kind} {'<=' if hi_in else '<'} {self.high:g}"
        return kind


@dataclass(frozen=True)
class Pair:
    """A pair of numbers, each satisfying ``item`` (Adam's ``betas``)."""

    item: Interval
    example: str = ""

    def ok(self, value: Any) -> bool:
        return (isinstance(value, tuple | list) and len(value) == 2
                and all(self.item.ok(v) for v in value))

    def describe(self) -> str:
        return f"a pair of numbers, each {self.item.describe()}"


@dataclass(frozen=True)
class Boolean:
    example: str = "True"

    def ok(self, value: Any) -> bool:
        return isinstance(value, bool)

    def describe(self) -> str:
        return "True or False"


@dataclass(frozen=True)
class OneOf:
    options: tuple[str, ...]
    example: str = ""

    def ok(self, value: Any) -> bool:
        return value in self.options

    def describe(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)


@dataclass(frozen=True)
class RateOrSchedule:
    """A learning rate: a number >= 0, or a schedule (a callable step -> lr)."""

    example: str = "0.01"

    def ok(self, value: Any) -> bool:
        return callable(value) or Interval(0.0, None, "left").ok(value)

    def describe(self) -> str:
        return "a finite number >= 0 or a schedule (a callable step -> lr)"


NON_NEGATIVE = Interval(0.0, None, "left", example="0.0")
POSITIVE = Interval(0.0, None, "neither", example="1e-8")
UNIT_LEFT = Interval(0.0, 1.0, "left", example="0.9")  # [0, 1): decay factors like β
LEARNING_RATE = RateOrSchedule()
BOOLEAN = Boolean()


def check(owner: str, name: str, value: Any, constraint: Any) -> None:
    """Raise one clear ``ValueError`` if ``value`` violates ``constraint``."""
    if constraint.ok(value):
        return
    example = f"; e.g. {name}={constraint.example}" if constraint.example else ""
    raise ValueError(
        f"{owner}: received an invalid value for {name}: {value!r}; expected "
        f"{constraint.describe()}{example}"
    )


def check_all(owner: str, values: Mapping[str, Any], table: Mapping[str, Any]) -> None:
    """Check every entry of ``values`` that the table constrains, and reject unknown names."""
    for name, value in values.items():
        if name == "params":
            continue
        if name not in table:
            raise ValueError(f"{owner}: unknown option {name!r}{suggest(name, table)}")
        check(owner, name, value, table[name])


def closest(name: str, valid: Iterable[str]) -> str | None:
    """The valid name closest to ``name`` (difflib), or None when nothing is close."""
    close = difflib.get_close_matches(str(name), sorted(valid), n=1)
    return close[0] if close else None


def suggest(name: str, valid: Iterable[str]) -> str:
    """'; did you mean 'x'? Valid: …' for an unknown name."""
    valid = sorted(valid)
    match = closest(name, valid)
    hint = f"; did you mean {match!r}?" if match else ""
    return f"{hint} Valid: {', '.join(valid)}"


def check_parameters(owner: str, params: Any) -> list[Tensor]:
    """Turn a group's ``params`` into a list of trainable leaf tensors, or raise."""
    if isinstance(params, Tensor):
        return [_check_one(owner, params, 0)]
    if isinstance(params, set | frozenset):
        raise TypeError(
            f"{owner}: params must be an ordered iterable (a list or model.parameters()); a set "
            "has no fixed order, so the optimizer state could not be saved and reloaded"
        )
    try:
        items = list(params)
    except TypeError:
        raise TypeError(
            f"{owner}: params must be an iterable of Parameters, received "
            f"{type(params).__name__}; pass model.parameters() or a list of ml.nn.Parameter"
        ) from None
    checked = [_check_one(owner, p, i) for i, p in enumerate(items)]
    if len({id(p) for p in checked}) != len(checked):
        raise ValueError(f"{owner}: a parameter group lists the same parameter twice")
    return checked


def _check_one(owner: str, p: Any, index: int) -> Tensor:
    if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str):
        raise TypeError(
            f"{owner}: params[{index}] is a (name, parameter) pair; pass model.parameters(), "
            "not model.named_parameters()"
        )
    if not isinstance(p, Tensor):
        raise TypeError(
            f"{owner}: params[{index}] must be a Parameter, received {type(p).__name__}; wrap "
            "arrays in ml.nn.Parameter(...) so the optimizer can update them in place"
        )
    if not p.requires_grad:
        raise TypeError(
            f"{owner}: params[{index}] is a tensor with requires_grad=False, so it never gets "
            "a gradient; use ml.nn.Parameter(...) or tensor(..., requires_grad=True)"
        )
    if not p.is_leaf:
        raise ValueError(
            f"{owner}: params[{index}] is the result of an operation, not a leaf tensor; "
            "optimize the Parameter it was computed from"
        )
    return p
