"""Regression and margin losses, composed from primitives (no gradient code of their own).

Each takes ``reduction``: 'mean' (average over all elements, or examples for the
per-example losses), 'sum', or 'none' (the unreduced losses).

With d = f(x) − y (often written L(y, f(x))):

* MAE / L1:  |d|                       (slow to converge, robust to outliers)
* MSE:       d²                        (fast, sensitive to outliers)
* Huber:     ½d² if |d| ≤ δ, δ|d| − ½δ² otherwise  (MSE near 0, MAE far away)
* hinge:     max(0, 1 − y·f(x)),  y ∈ {−1, +1}
* multi-class hinge:  Σ_{i≠t} max(0, f_i − f_t + 1)
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd import ops
from mlplab.autograd.primitive import ShapeError
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import xp

REDUCTION = checks.OneOf(("mean", "sum", "none"), example="'mean'")
"""What every loss accepts as ``reduction``: average, total, or the unreduced losses."""


def reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply a reduction to a tensor of per-element (or per-example) losses."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def pair(input: Any, target: Any, where: str) -> tuple[Tensor, Tensor]:
    """(input, target) as tensors of one float dtype and the same shape, or a clear error."""
    x = as_tensor(input)
    if isinstance(target, Tensor):
        t = target if target.dtype == x.dtype else target.astype(x.dtype)
    else:
        t = Tensor(xp.asarray(target, dtype=x.dtype))
    if x.shape != t.shape:
        raise ShapeError(
            f"{where}: input has shape {x.shape} but target has shape {t.shape}; they must "
            "match (no silent broadcasting) — reshape one of them, e.g. y.reshape(-1, 1)")
    return x, t


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Mean absolute error: ℓ = |x − y| (∂ℓ/∂x = sign(x − y), 0 at 0)."""
    checks.check("l1_loss", "reduction", reduction, REDUCTION)
    x, t = pair(input, target, "l1_loss")
    return reduce(ops.abs(x - t), reduction)


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Mean squared error: ℓ = (x − y)² (∂ℓ/∂x = 2(x − y))."""
    checks.check("mse_loss", "reduction", reduction, REDUCTION)
    x, t = pair(input, target, "mse_loss")
    d = x - t
    return reduce(d * d, reduction)


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """Huber loss: ℓ = ½d² if |d| ≤ δ else δ(|d| − ½δ), d = x − y (as PyTorch's HuberLoss).

    Written as q(|d| − ½q) with q = min(|d|, δ): one expression for both branches,
    whose gradient is d inside the band and δ·sign(d) outside.
    """
    checks.check("huber_loss", "reduction", reduction, REDUCTION)
    delta = checks.check_number(delta, "delta", "huber_loss", low=0.0, closed="right")
    x, t = pair(input, target, "huber_loss")
    a = ops.abs(x - t)
    q = ops.minimum(a, delta)
    return reduce(q * (a - 0.5 * q), reduction)


def signed_labels(target: Any, dtype: Any, where: str) -> Any:
    """Binary labels as ±1: {−1, +1} are kept, {0, 1} map to 0 → −1, 1 → +1."""
    t = xp.asarray(target.data if isinstance(target, Tensor) else target)
    if t.dtype.kind not in "iufb":
        raise TypeError(f"{where}: labels must be numbers, got dtype {t.dtype}")
    if xp.all((t == 0) | (t == 1)):
        return (2 * t.astype(dtype) - 1).astype(dtype)
    if xp.all((t == -1) | (t == 1)):
        return t.astype(dtype)
    bad = xp.unique(t[~((t == 0) | (t == 1) | (t == -1))])[:5].tolist()
    raise ValueError(f"{where}: binary labels must be all in {{-1, +1}} or all in {{0, 1}}, "
                     f"got values such as {bad}")


def hinge_loss(input: Any, target: Any, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """Binary hinge loss: ℓ = max(0, margin − y·f(x)), the textbook max(0, 1 − y·f(x)).

    Labels y may be given as ±1 or as {0, 1} (0 is the negative class, mapped to −1).
    ``input`` holds raw scores f(x) (no sigmoid), of the same shape as ``target``.
    """
    checks.check("hinge_loss", "reduction", reduction, REDUCTION)
    x = as_tensor(input)
    y = signed_labels(target, x.dtype, "hinge_loss")
    if y.shape != x.shape:
        raise ShapeError(f"hinge_loss: input has shape {x.shape} but target has shape "
                         f"{y.shape}; they must match")
    return reduce(ops.relu(float(margin) - x * Tensor(y)), reduction)


def one_hot(target: Any, num_classes: int, dtype: Any) -> Any:
    out = xp.zeros((target.shape[0], num_classes), dtype=dtype)
    out[xp.arange(target.shape[0]), target] = 1
    return out


def multi_margin_loss(input: Any, target: Any, p: int = 1, margin: float = 1.0,
                      weight: Any = None, reduction: str = "mean",
                      average_over_classes: bool = False) -> Tensor:
    """Multi-class hinge loss, the textbook ℓ = Σ_{i≠t} max(0, f_i − f_t + margin)^p.

    With ``weight`` the loss of an example of class t is multiplied by w_t.
    ``average_over_classes=True`` divides by the number of classes C, which is
    exactly PyTorch's ``MultiMarginLoss``; the default keeps the plain sum.

    Shape:
        input (N, C) scores, target (N,) class indices → (N,) with reduction='none'.
    """
    from mlplab.nn.functional.cross_entropy import class_targets

    checks.check("multi_margin_loss", "reduction", reduction, REDUCTION)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: p must be 1 or 2, got {p!r}")
    x = as_tensor(input)
    if x.ndim != 2:
        raise ShapeError(f"multi_margin_loss: expected scores of shape (N, C), got {x.shape}")
    t = class_targets(target, x.shape, "multi_margin_loss")
    n, c = x.shape
    y = one_hot(t, c, x.dtype)
    true_score = (x * Tensor(y)).sum(axis=1, keepdims=True)  # f_t for each row
    margins = ops.relu(float(margin) - true_score + x) * Tensor(1 - y)  # i ≠ t only
    if p == 2:
        margins = margins * margins
    per_example = margins.sum(axis=1)
    if weight is not None:
        per_example = per_example * Tensor(xp.asarray(weight.data if isinstance(
            weight, Tensor) else weight, dtype=x.dtype)[t])
    if average_over_classes:
        per_example = per_example / float(c)
    return reduce(per_example, reduction)
