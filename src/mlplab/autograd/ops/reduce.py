"""Reductions: sum, mean, max, min over an axis (or all axes), with ``keepdims``.

Their VJPs spread g back over the reduced axes: sum copies it, mean copies g/N,
max/min send it to the winning elements (split evenly between ties, as
PyTorch's ``amax``).
"""

from __future__ import annotations

import math

from mlplab.autograd.primitive import Primitive
from mlplab.backend import xp


def _normalize_axes(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple | list) else (axis,)
    return tuple(a % ndim if ndim else a for a in axes)


def _expand_back(g, x, axis, keepdims: bool):
    """Reinsert reduced axes of size 1 so g broadcasts against x."""
    if keepdims or x.ndim == 0 or axis is None:  # a full reduction's 0-d g broadcasts as is
        return g
    return xp.expand_dims(g, _normalize_axes(axis, x.ndim))


def _spread(value, shape):
    """value broadcast to ``shape``: a filled array when small (cheaper to make than a
    broadcast view, and cheaper for the next op to read), a view when large."""
    if value.ndim == 0 and math.prod(shape) <= 4096:
        return xp.full(shape, value, dtype=value.dtype)
    return xp.broadcast_to(value, shape)


def _count(x, axis) -> int:
    if axis is None:
        return x.size
    n = 1
    for a in _normalize_axes(axis, x.ndim):
        n *= x.shape[a]
    return n


# y = Σᵢ xᵢ:  ∂y/∂xᵢ = 1
sum = Primitive(  # noqa: A001 - the op's public name
    "sum",
    forward=lambda x, axis=None, keepdims=False: xp.sum(x, axis=axis, keepdims=keepdims),
    vjps=(lambda g, out, x, axis=None, keepdims=False:
          xp.broadcast_to(_expand_back(g, x, axis, keepdims), x.shape),),
    jvp=lambda t, out, x, axis=None, keepdims=False: xp.sum(t[0], axis=axis, keepdims=keepdims),
)

def _mean(x, axis=None, keepdims=False):
    if x.dtype.kind == "f" and x.dtype.itemsize >= 4:
        # Σ/N, as xp.mean computes it for float32/64, without its Python-level wrappers
        # (a loss's mean runs every step; ndarray.sum's wrapper costs more than the sum)
        return xp.true_divide(xp.add.reduce(x, axis=axis, keepdims=keepdims), _count(x, axis))
    return xp.mean(x, axis=axis, keepdims=keepdims)  # float16: accumulates in float32


# y = (1/N) Σᵢ xᵢ:  ∂y/∂xᵢ = 1/N
mean = Primitive(
    "mean",
    forward=_mean,
    vjps=(lambda g, out, x, axis=None, keepdims=False: _spread(
        _expand_back(g, x, axis, keepdims) / x.dtype.type(_count(x, axis)), x.shape),),
    jvp=lambda t, out, x, axis=None, keepdims=False: xp.mean(t[0], axis=axis, keepdims=keepdims),
)


def _winner_share(out, x, axis, keepdims):
    """[xᵢ = max] / (number of ties): where the gradient of max/min goes."""
    winners = x == _expand_back(out, x, axis, keepdims)
    counts = xp.sum(winners, axis=_normalize_axes(axis, x.ndim), keepdims=True)
    return winners / counts.astype(x.dtype)


def _extreme_vjp(g, out, x, axis=None, keepdims=False):
    return _expand_back(g, x, axis, keepdims) * _winner_share(out, x, axis, keepdims)


def _extreme_jvp(t, out, x, axis=None, keepdims=False):
    share = _winner_share(out, x, axis, keepdims)
    return xp.sum(t[0] * share, axis=axis, keepdims=keepdims)


# y = max xᵢ:  ∂y/∂xᵢ = [xᵢ = y] / #ties
max = Primitive(  # noqa: A001 - the op's public name
    "max",
    forward=lambda x, axis=None, keepdims=False: xp.max(x, axis=axis, keepdims=keepdims),
    vjps=(_extreme_vjp,),
    jvp=_extreme_jvp,
)

# y = min xᵢ:  ∂y/∂xᵢ = [xᵢ = y] / #ties
min = Primitive(  # noqa: A001 - the op's public name
    "min",
    forward=lambda x, axis=None, keepdims=False: xp.min(x, axis=axis, keepdims=keepdims),
    vjps=(_extreme_vjp,),
    jvp=_extreme_jvp,
)
