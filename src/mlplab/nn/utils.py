"""Gradient clipping and the max-norm weight constraint (PyTorch names, in place).

Call them between ``loss.backward()`` and ``optimizer.step()`` (clipping) or right
after ``optimizer.step()`` (max-norm). Exploding gradients (the other face of the
vanishing-gradient problem) make weights blow up to NaN; clipping bounds the step instead.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp


def _tensors(parameters: Any, where: str) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        return [parameters]
    try:
        items = list(parameters)
    except TypeError:
        raise TypeError(f"{where}: parameters must be a Parameter or an iterable of them, "
                        f"received {type(parameters).__name__}; pass model.parameters()") from None
    for i, p in enumerate(items):
        if not isinstance(p, Tensor):
            raise TypeError(f"{where}: parameters[{i}] must be a Parameter, received "
                            f"{type(p).__name__}")
    return items


def _number(value: Any, name: str, where: str, *, positive: bool = False) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value)
    if not ok or value < 0 or (positive and value == 0):
        raise ValueError(f"{where}: received an invalid value for {name}: {value!r}; expected a "
                         f"number {'>' if positive else '>='} 0")
    return float(value)


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                    norm_type: float | str = 2.0, error_if_nonfinite: bool = False) -> float:
    """Rescale all gradients together so that their joint norm is at most ``max_norm``.

    With g the gradients of all parameters concatenated into one vector and
    ‖g‖ₚ its p-norm (p is ``norm_type``; ``"inf"`` for the largest |gᵢ|)::

        c = min(1, max_norm / (‖g‖ₚ + 1e-6)),   dW := c · dW   for every parameter

    The direction of the step is kept; only its length is bounded. Gradients are
    changed in place (parameters without a gradient are skipped).

    Returns:
        ‖g‖ₚ before clipping, as a float (PyTorch returns a tensor).

    Raises:
        RuntimeError: with ``error_if_nonfinite=True``, when ‖g‖ₚ is NaN or infinite.

    Same as ``torch.nn.utils.clip_grad_norm_``. Source: Pascanu, Mikolov & Bengio 2013.
    """
    where = "clip_grad_norm_"
    params = _tensors(parameters, where)
    max_norm = _number(max_norm, "max_norm", where)
    p = math.inf if norm_type in ("inf", math.inf) else _number(norm_type, "norm_type", where,
                                                                 positive=True)
    grads = [q.grad for q in params if q.grad is not None]
    if not grads:
        return 0.0
    if p == math.inf:
        total = max(float(xp.max(xp.abs(g))) if g.size else 0.0 for g in grads)
    elif p == 2.0:
        total = math.sqrt(sum(float(xp.vdot(g.ravel(), g.ravel())) for g in grads))
    else:
        total = sum(float(xp.sum(xp.abs(g) ** p)) for g in grads) ** (1.0 / p)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"{where}: the total norm of order {norm_type} of the gradients is {total}, so they "
            "cannot be clipped; the loss has probably diverged (lower the learning rate), or "
            "pass error_if_nonfinite=False"
        )
    coef = min(1.0, max_norm / (total + 1e-6))
    for g in grads:
        g *= coef
    return total


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clip every gradient entry into [−clip_value, clip_value], in place.

    Same as ``torch.nn.utils.clip_grad_value_``.
    """
    where = "clip_grad_value_"
    params = _tensors(parameters, where)
    c = _number(clip_value, "clip_value", where)
    for q in params:
        if q.grad is not None:
            xp.clip(q.grad, -c, c, out=q.grad)


def max_norm_(parameters: Tensor | Iterable[Tensor], max_value: float, axis: int = 1) -> None:
    """Max-norm constraint: shrink each unit's incoming weight vector to ‖w‖₂ ≤ c, in place.

    For a weight W of shape (n^[l], n^[l−1]) (``Linear.weight``) row j holds the
    weights into unit j; with ``axis=1`` (norms taken along the inputs)::

        W_j := W_j · c / ‖W_j‖₂    whenever ‖W_j‖₂ > c   (c is ``max_value``)

    Only parameters with two or more dimensions are constrained; biases are left
    alone, as in the paper. Call it after every ``optimizer.step()``.
    Source: Srivastava et al. 2014, "Dropout", section 5.1 (typical c = 3 to 4).
    ``torch.renorm(W, 2, 0, c)`` does the same for ``axis=1``.
    """
    where = "max_norm_"
    params = _tensors(parameters, where)
    c = _number(max_value, "max_value", where, positive=True)
    for q in params:
        w = q.data
        if w.ndim < 2:
            continue
        if not -w.ndim <= axis < w.ndim:
            raise ValueError(f"{where}: axis={axis} is out of range for a weight of shape "
                             f"{w.shape}; use axis=1 for Linear.weight (out, in)")
        norms = xp.sqrt(xp.sum(w * w, axis=axis, keepdims=True))
        scale = xp.where(norms > c, c / (norms + 1e-7), 1.0).astype(w.dtype, copy=False)
        w *= scale
