"""Turn the names a user may pass to the Trainer ('adam', 'cross_entropy') into objects, once."""

from __future__ import annotations

from typing import Any

from mlplab.checks import Satisfies, check, unknown

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


_LOSS = Satisfies(callable, "a loss module or a name such as 'cross_entropy'",
                  example="'cross_entropy'")
_OPTIMIZER = Satisfies(lambda o: hasattr(o, "step") and hasattr(o, "zero_grad"),
                       "an ml.optim optimizer or a name such as 'adam'", example="'adam'")


def resolve_loss(loss: Any) -> Any:
    """A loss module from a module, a callable ``loss(output, target)`` or a name."""
    if isinstance(loss, str):
        import mlplab.nn as nn

        key = loss.lower()
        if key not in _LOSSES:
            raise unknown("Trainer", "loss", loss, _LOSSES)
        return getattr(nn, _LOSSES[key])()
    return check("Trainer", "loss", loss, _LOSS)


def resolve_optimizer(optimizer: Any, model: Any) -> Any:
    """An optimizer instance, or one built by name over the model's parameters."""
    if isinstance(optimizer, str):
        from mlplab.optim import get_optimizer

        return get_optimizer(optimizer, model.parameters())
    check("Trainer", "optimizer", optimizer, _OPTIMIZER)
    _check_owns(optimizer, model)
    return optimizer


def _check_owns(optimizer: Any, model: Any) -> None:
    """An optimizer built over another model's parameters would train that model: every
    step would leave this one's weights as they are, epoch after epoch."""
    held = [p for group in getattr(optimizer, "param_groups", ())
            for p in group.get("params", ())]
    if not held or not hasattr(model, "parameters"):
        return
    owned = {id(p) for p in model.parameters()}
    if not any(id(p) in owned for p in held):
        raise ValueError(f"Trainer: none of the optimizer's {len(held)} parameters belongs to "
                         "the model, so training would never change its weights; build the "
                         "optimizer over this model, e.g. ml.optim.Adam(model.parameters())")
