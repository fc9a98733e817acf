"""The public functional face of the primitives: ``ml.exp(x)``, ``ml.maximum(a, b)``, …

These wrappers turn friendly Python arguments (an axis list, a tensor used as an
index, a boolean condition tensor) into the primitives' parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlplab.autograd import ops
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import xp


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


def plain(value: Any) -> Any:
    """Unwrap tensors used as indices or conditions (they never carry gradients)."""
    if isinstance(value, Tensor):
        return value.data
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value


def add(a: Any, b: Any) -> Tensor:
    return ops.add(a, b)


def sub(a: Any, b: Any) -> Tensor:
    return ops.sub(a, b)


def mul(a: Any, b: Any) -> Tensor:
    return ops.mul(a, b)


def div(a: Any, b: Any) -> Tensor:
    return ops.div(a, b)


def power(a: Any, b: Any) -> Tensor:
    return ops.power(a, b)


def matmul(a: Any, b: Any) -> Tensor:
    return ops.matmul(a, b)


def exp(x: Any) -> Tensor:
    return ops.exp(x)


def log(x: Any) -> Tensor:
    return ops.log(x)


def sqrt(x: Any) -> Tensor:
    return ops.sqrt(x)


def abs(x: Any) -> Tensor:  # noqa: A001
    return ops.abs(x)


def relu(x: Any) -> Tensor:
    return ops.relu(x)


def sigmoid(x: Any) -> Tensor:
    return ops.sigmoid(x)


def tanh(x: Any) -> Tensor:
    return ops.tanh(x)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise max(a, b); on ties the gradient is split in half."""
    return ops.maximum(a, b)


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise min(a, b); on ties the gradient is split in half."""
    return ops.minimum(a, b)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b`` (the condition gets no gradient)."""
    cond = xp.asarray(plain(condition), dtype=bool)
    return ops.where(Tensor(cond), a, b)


def clip(x: Any, low: float | None = None, high: float | None = None) -> Tensor:
    """min(max(x, low), high); the gradient passes where low ≤ x ≤ high."""
    if low is None and high is None:
        raise ValueError("clip: give low, high or both")
    return ops.clip(x, low=low, high=high)


def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return ops.sum(x, axis=_axis(axis), keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return ops.mean(x, axis=_axis(axis), keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return ops.max(x, axis=_axis(axis), keepdims=keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    return ops.min(x, axis=_axis(axis), keepdims=keepdims)


def var(x: Any, axis: Any = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
    """Variance (1/(N − ddof)) Σ (x − x̄)², composed from mean and power."""
    x = as_tensor(x)
    centred = x - mean(x, axis=axis, keepdims=True)
    total = sum(centred * centred, axis=axis, keepdims=keepdims)
    count = x.data.size // total.data.size
    return total / (count - ddof)


def reshape(x: Any, *shape: Any) -> Tensor:
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    return ops.reshape(x, shape=shape)


def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    return ops.transpose(x, axes=None if axes is None else tuple(axes))


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    return ops.concatenate(*tensors, axis=axis)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    return ops.stack(*tensors, axis=axis)


def logsumexp(x: Any, axis: int = -1, keepdims: bool = False) -> Tensor:
    """log Σ exp(x) along ``axis``, computed without overflow."""
    return ops.logsumexp(x, axis=axis, keepdims=keepdims)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    return ops.log_softmax(x, axis=axis)


def softmax(x: Any, axis: int = -1) -> Tensor:
    return ops.softmax(x, axis=axis)
