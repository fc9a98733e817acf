"""What an optimizer accepts as ``params`` and as a learning rate.

``check_parameters`` turns one parameter group's ``params`` into a list of
trainable leaf tensors, or raises an error that says what was passed and what to
pass instead (``model.parameters()``, not ``named_parameters()``; a list, not a
set, so that the saved state can be matched to the parameters again).
``LEARNING_RATE`` is the constraint every optimizer's ``lr`` obeys: a number, or a
schedule (a callable step → lr).
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd.tensor import Tensor

LEARNING_RATE = checks.AnyOf(
    (checks.NON_NEGATIVE, checks.Satisfies(callable, "a schedule (a callable step -> lr)")),
    example="0.01",
)
"""α: a finite number >= 0, or a schedule called with the step count t."""


def check_parameters(owner: str, params: Any) -> list[Tensor]:
    """Turn a group's ``params`` into a list of trainable leaf tensors, or raise."""
    if isinstance(params, Tensor):
        return [_check_one(owner, params, 0)]
    if isinstance(params, set | frozenset):
        raise checks.ParameterError(
            f"{owner}: params must be an ordered iterable (a list or model.parameters()); a set "
            "has no fixed order, so the optimizer state could not be saved and reloaded"
        )
    try:
        items = list(params)
    except TypeError:
        raise checks.ParameterError(
            f"{owner}: params must be an iterable of Parameters, got "
            f"{type(params).__name__}; pass model.parameters() or a list of ml.nn.Parameter"
        ) from None
    checked = [_check_one(owner, p, i) for i, p in enumerate(items)]
    if len({id(p) for p in checked}) != len(checked):
        raise checks.ParameterError(f"{owner}: a parameter group lists the same parameter twice")
    return checked


def _check_one(owner: str, p: Any, index: int) -> Tensor:
    if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str):
        raise checks.ParameterError(
            f"{owner}: params[{index}] is a (name, parameter) pair; pass model.parameters(), "
            "not model.named_parameters()"
        )
    if not isinstance(p, Tensor):
        raise checks.ParameterError(
            f"{owner}: params[{index}] must be a Parameter, got {type(p).__name__}; wrap "
            "arrays in ml.nn.Parameter(...) so the optimizer can update them in place"
        )
    if not p.requires_grad:
        raise checks.ParameterError(
            f"{owner}: params[{index}] is a tensor with requires_grad=False, so it never gets "
            "a gradient; use ml.nn.Parameter(...) or tensor(..., requires_grad=True)"
        )
    if not p.is_leaf:
        raise checks.ParameterError(
            f"{owner}: params[{index}] is the result of an operation, not a leaf tensor; "
            "optimize the Parameter it was computed from"
        )
    return p
