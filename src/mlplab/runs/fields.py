"""The value types of ``TrainConfig``: ranges as pydantic constraints, names checked against
the library's registries.

A range is declared once, on the type (``Fraction`` is a float in [0, 1)); pydantic
enforces it and :mod:`mlplab.runs.config_errors` reads the same declaration back to
say what was expected, in the ``mlplab.checks`` message style. Names (activations,
initializers, optimizers) are looked up in ``ml.nn`` and ``ml.optim`` when the config
is built, so a typo is caught before any data is read.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from mlplab.checks import unknown

__all__ = ["ActivationName", "Fraction", "InitName", "NonNegative", "NonNegativeInt",
           "OptimizerName", "Positive", "PositiveInt", "from_text", "normalize_name"]

Fraction = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
"""A probability that must leave something: in [0, 1) (dropout p, a decay factor β)."""
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
PositiveInt = Annotated[int, Field(ge=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]


def normalize_name(value: Any) -> Any:
    """'Inverse-Time' → 'inverse_time': names compare in lower case with underscores."""
    return value.strip().lower().replace("-", "_") if isinstance(value, str) else value


def _activation(name: str) -> str:
    import mlplab.nn as nn

    if name.lower() == "maxout":
        return "maxout"
    try:
        nn.get_activation(name)
    except (ValueError, TypeError):
        raise unknown("config", "activation", name, [*nn.ACTIVATIONS, "maxout"]) from None
    return name


def _initializer(name: str) -> str:
    import mlplab.nn as nn

    try:
        nn.get_initializer(name)
    except (ValueError, TypeError):
        raise unknown("config", "init", name, nn.init.INITIALIZERS) from None
    return name


def _optimizer(name: str) -> str:
    from mlplab.optim import OPTIMIZERS

    if name.lower() not in OPTIMIZERS:
        raise unknown("config", "optimizer", name, OPTIMIZERS)
    return name.lower()


ActivationName = Annotated[str, AfterValidator(_activation)]
InitName = Annotated[str, AfterValidator(_initializer)]
OptimizerName = Annotated[str, AfterValidator(_optimizer)]


def from_text(kind: type) -> BeforeValidator:
    """Read a comma-separated string ('128,64', '0.2, 0.1', 'relu,tanh') as the command line
    gives it: a list when it holds a comma (or is empty), else one value."""

    def parse(value: Any) -> Any:
        if not isinstance(value, str):
            return list(value) if isinstance(value, tuple) else value
        parts = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
        try:
            items = [kind(p) for p in parts]
        except ValueError:
            return value  # pydantic then reports the type error with the value
        if kind is int or len(items) != 1 or "," in value:
            return items
        return items[0]

    return BeforeValidator(parse)
