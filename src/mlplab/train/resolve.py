"""Turn the names a user may pass to the Trainer ('adam', 'cross_entropy') into objects, once."""

from __future__ import annotations

import difflib
from typing import Any

_LOSSES = {
    "cross_entropy": "CrossEntropyLoss",
    "nll": "NLLLoss",
    "mse": "MSELoss",
    "mae": "L1Loss",
    "l1": "L1Loss",
    "huber": "HuberLoss",
    "bce": "BCELoss",
    "bce_with_logits": "BCEWithLogitsLoss",
    "hinge": "HingeLoss",
    "multi_margin": "MultiMarginLoss",
}


def _suggest(name: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    return f" Did you mean '{match[0]}'?" if match else ""


def resolve_loss(loss: Any) -> Any:
    """A loss module from a module, a callable ``loss(output, target)`` or a name."""
    if isinstance(loss, str):
        import mlplab.nn as nn

        key = loss.lower()
        if key not in _LOSSES:
            raise ValueError(f"loss: unknown loss {loss!r}.{_suggest(key, list(_LOSSES))} "
                             f"Valid names: {', '.join(_LOSSES)}")
        return getattr(nn, _LOSSES[key])()
    if not callable(loss):
        raise TypeError(f"loss: expected a loss module or a name such as 'cross_entropy', "
                        f"received {type(loss).__name__}")
    return loss


def resolve_optimizer(optimizer: Any, model: Any) -> Any:
    """An optimizer instance, or one built by name over the model's parameters."""
    if isinstance(optimizer, str):
        from mlplab.optim import get_optimizer

        return get_optimizer(optimizer, model.parameters())
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "zero_grad")):
        raise TypeError(f"optimizer: expected an ml.optim optimizer or a name such as 'adam', "
                        f"received {type(optimizer).__name__}")
    return optimizer
