"""A run that goes wrong: a non-finite loss stops it, a loss that explodes is reported.

Every training batch is checked before the backward pass: when the loss or the
model's outputs hold NaN or ±inf, no step is taken (the weights keep their last
finite values), the forward pass is replayed with hooks to find the first layer
whose output was not finite, and ``fit`` raises :class:`DivergenceError`. A loss
that stays finite but grows by orders of magnitude (Adam at α = 100) is reported
once with a :class:`LossExplosionWarning`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.checks import is_sparse

# the epoch loss is called exploded beyond this multiple of the untrained model's loss
EXPLOSION_FACTOR = 1000.0

_ADVICE = ("Try a lower learning rate, clipping gradients (clip_grad_norm=1.0), or "
           "normalizing the inputs (ml.data.Standardizer).")


class DivergenceError(ArithmeticError):
    """Training produced a NaN or infinite loss. ``.history`` holds the epochs done so far."""

    def __init__(self, message: str, history: Any = None) -> None:
        super().__init__(message)
        self.history = history


class LossExplosionWarning(RuntimeWarning):
    """The training loss stayed finite but grew by orders of magnitude (see ``fit``)."""


class NonFiniteLoss(Exception):
    """Raised by ``Trainer.train_step`` before any update when the loss or the outputs
    are not finite; ``fit`` turns it into a :class:`DivergenceError`."""

    def __init__(self, loss: float) -> None:
        super().__init__(f"non-finite loss {loss}")
        self.loss = loss


def all_finite(values: Any) -> bool:
    """True when every entry of an array (or the stored entries of a sparse matrix) is finite."""
    values = values.data if is_sparse(values) else values
    # logical_and.reduce is what .all() calls, without its Python-level wrapper (every step)
    return bool(np.logical_and.reduce(np.isfinite(values), axis=None))


def first_non_finite(model: Any, inputs: Any) -> str:
    """Where the first NaN/inf of the forward pass on ``inputs`` appears, in words.

    A parameter that already holds one (a previous step overflowed) is named first;
    then the input batch; then the first module, in the order they ran, whose output
    was not finite; otherwise the loss itself.
    """
    if not hasattr(model, "named_modules"):
        return "an unknown place (the model is not an ml.nn.Module)"
    for name, param in model.named_parameters():
        if not all_finite(param.data):
            return f"the parameter {name!r} (a previous step overflowed it)"
    if not all_finite(inputs):
        return "the input batch (after augmentation)"
    found: list[str] = []

    def watch(label: str) -> Any:
        def hook(module: Any, args: Any, out: Any) -> None:
            data = out.data if isinstance(out, Tensor) else None
            if not found and data is not None and not all_finite(data):
                found.append(label)
        return hook

    handles = [module.register_forward_hook(watch(_label(name, module)))
               for name, module in model.named_modules()]
    try:
        with no_grad():
            model(Tensor(inputs))
    finally:
        for handle in handles:
            handle.remove()
    return f"the output of {found[0]}" if found else "the loss (the model's outputs were finite)"


def _label(name: str, module: Any) -> str:
    kind = type(module).__name__
    return f"layer {name!r} ({kind})" if name else f"the model ({kind})"


def divergence_message(epoch: int, batch: int, loss: float, last_finite: float | None,
                       where: str, checkpoint: Any = None) -> str:
    """The text of the DivergenceError: epoch and batch (from 1), where, what to try."""
    last = "none yet" if last_finite is None else f"{last_finite:.6g}"
    kept = "" if checkpoint is None else f" The last good checkpoint is {checkpoint}."
    return (f"training diverged at epoch {epoch + 1}, batch {batch + 1}: the loss became "
            f"{loss} (last finite loss: {last}); the first non-finite value appeared in "
            f"{where}. No step was taken on that batch.{kept} {_ADVICE}")


class ExplosionWatch:
    """Warns once when an epoch's mean loss exceeds ``EXPLOSION_FACTOR`` × the initial loss.

    The reference is the loss of the very first training batch (the untrained model's):
    a diverging run may already average millions in its first epoch.
    """

    def __init__(self) -> None:
        self.initial_loss: float | None = None
        self.warned = False

    def see_batch(self, loss: float) -> None:
        if self.initial_loss is None and math.isfinite(loss):
            self.initial_loss = float(loss)

    def see_epoch(self, epoch: int, loss: float) -> None:
        start = self.initial_loss
        if self.warned or start is None or start <= 0 or not loss > EXPLOSION_FACTOR * start:
            return
        self.warned = True
        warnings.warn(LossExplosionWarning(
            f"the training loss exploded: {loss:.4g} in epoch {epoch + 1}, "
            f"{loss / start:.3g}× the initial {start:.4g}, though still finite. "
            f"{_ADVICE}"), stacklevel=4)
