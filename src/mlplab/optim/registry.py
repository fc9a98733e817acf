"""Look optimizers up by name once, at the boundary (the CLI, config files)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlplab import checks
from mlplab.optim.adadelta import Adadelta
from mlplab.optim.adagrad import Adagrad
from mlplab.optim.adam import Adam, AdamW
from mlplab.optim.optimizer import Optimizer
from mlplab.optim.rmsprop import RMSprop
from mlplab.optim.sgd import SGD

OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adadelta": Adadelta,
    "adam": Adam, "adamw": AdamW,
}
"""Every optimizer by its lower-case name; tests run over this table."""


def get_optimizer(name: str | type[Optimizer], params: Iterable[Any], **kwargs: Any) -> Optimizer:
    """Build an optimizer from a name (case-insensitive) or a class.

    >>> from mlplab.nn.parameter import Parameter
    >>> get_optimizer("adam", [Parameter([1.0])], lr=0.01).defaults["lr"]
    0.01
    """
    if isinstance(name, type) and issubclass(name, Optimizer):
        return name(params, **kwargs)
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise checks.unknown("get_optimizer", "optimizer", key, OPTIMIZERS)
    return OPTIMIZERS[key](params, **kwargs)
