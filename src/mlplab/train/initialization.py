"""When a Trainer may draw a model's initial weights: only weights nobody has set yet.

``Trainer(model, ..., seed=s)`` re-draws the weights from ``s`` (so one seed fixes
the whole run) only when the model is *fresh*: no module of it is ``pretrained``
(no ``load_state_dict``, hence no ``ml.load`` or ``Trainer.resume``, and no
``Trainer.fit`` has set its weights) and its optimizer has not taken a step (a
hand-written loop trained it). A trained or loaded model is never overwritten
unless asked: ``reinitialize=True`` always re-draws (from ``seed``, or fresh
entropy without one), ``reinitialize=False`` never does.
"""

from __future__ import annotations

from typing import Any


def is_fresh(model: Any, optimizer: Any) -> bool:
    """True when the model's weights are still those its layers drew when built."""
    modules = model.modules() if hasattr(model, "modules") else [model]
    if any(getattr(module, "pretrained", False) for module in modules):
        return False
    return getattr(optimizer, "step_count", 0) == 0


def draws_initial_weights(model: Any, optimizer: Any, seed: int | None,
                          reinitialize: bool | None) -> bool:
    """Whether ``Trainer.__init__`` re-draws the weights (the rule of this module)."""
    if not hasattr(model, "reset_parameters"):
        return False
    if reinitialize is not None:
        return bool(reinitialize)
    return seed is not None and is_fresh(model, optimizer)
