"""Batch and layer normalization, each one fused primitive (forward and VJP together).

Forward, over the normalized axes (the batch for BatchNorm, the features of each
example for LayerNorm), with m values per statistic:

    μ = (1/m) Σ x_i      σ² = (1/m) Σ (x_i − μ)²      x̂_i = (x_i − μ)/√(σ² + ε)
    y_i = γ x̂_i + β

VJP with ĝ = g ⊙ γ (the gradient reaching x̂) and r = 1/√(σ² + ε):

    dx = r (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))      dγ = Σ g ⊙ x̂      dβ = Σ g

where the means run over the normalized axes and dγ, dβ sum over the other axes.
For BatchNorm the two sets of axes coincide and γ is constant along them, so
dx = γ r (g − dβ/m − x̂ dγ/m): the sums are computed once and shared by the three
VJPs. With fixed statistics (BatchNorm in evaluation) μ and σ² are constants and
dx = g ⊙ γ r. Composing this from ~10 primitives is several times slower.
"""

from __future__ import annotations

from typing import Any

from mlplab.autograd.primitive import Primitive, ShapeError, unbroadcast
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import xp


class Saved:
    """Values a forward pass computes and its VJPs reuse (x̂, r, μ, σ², and the sums
    Σ g x̂, Σ g shared by the VJPs of x, γ and β), keyed by the arrays they belong to,
    so a VJP handed other arrays recomputes them."""

    __slots__ = ("x", "xhat", "inv_std", "mean", "var", "g", "sum_gx", "sum_g")

    def __init__(self) -> None:
        self.x = self.g = None

    def __repr__(self) -> str:
        return "<saved statistics>"


def _mean(x, axes):
    """mean over ``axes`` (keepdims); for a 2-D input a matrix-vector product (BLAS)."""
    if x.ndim == 2:
        if axes == (0,):
            return (xp.full(x.shape[0], 1.0 / x.shape[0], dtype=x.dtype) @ x)[None, :]
        return (x @ xp.full(x.shape[1], 1.0 / x.shape[1], dtype=x.dtype))[:, None]
    return x.mean(axis=axes, keepdims=True)


def _mean_square(c, axes):
    """mean(c²) over ``axes`` (keepdims); for a 2-D input an einsum, with no c² temporary."""
    if c.ndim == 2:
        kept = "j" if axes == (0,) else "i"
        total = xp.einsum(f"ij,ij->{kept}", c, c)
        return (total / (c.size // total.size)).reshape(
            (1, -1) if axes == (0,) else (-1, 1)).astype(c.dtype, copy=False)
    return xp.mean(xp.square(c), axis=axes, keepdims=True)


def _normalize(x, axes, eps, mean, var, saved):
    """(x̂, r): batch statistics when ``mean`` is None, else the given fixed ones."""
    if saved is not None and saved.x is x:
        return saved.xhat, saved.inv_std
    if mean is None:
        mean = _mean(x, axes)
        xhat = x - mean
        var = _mean_square(xhat, axes)
    else:
        xhat = x - mean
    inv_std = 1.0 / xp.sqrt(var + eps)
    xhat *= inv_std
    if saved is not None:
        saved.x, saved.xhat, saved.inv_std, saved.mean, saved.var = x, xhat, inv_std, mean, var
        saved.g = None
    return xhat, inv_std


def _param_sums(g, xhat, affine_shape, saved, gx=None):
    """(Σ g ⊙ x̂, Σ g) over the axes γ and β are shared along (= dγ, dβ); computed once
    per upstream gradient g and shared by the three VJPs. ``gx`` is g ⊙ x̂ if at hand."""
    if saved is not None and saved.g is g:
        return saved.sum_gx, saved.sum_g
    gx = g * xhat if gx is None else gx
    sum_gx = unbroadcast(gx, affine_shape)
    if sum_gx is gx:  # nothing was summed (one example): own the values, gx gets reused
        sum_gx = gx.copy()
    sums = sum_gx, unbroadcast(g, affine_shape)
    if saved is not None:
        saved.g, (saved.sum_gx, saved.sum_g) = g, sums
    return sums


def _forward(x, w, b, axes, eps, affine_shape, mean=None, var=None, saved=None):
    xhat, _ = _normalize(x, axes, eps, mean, var, saved)
    out = xhat * w.reshape(affine_shape)
    out += b.reshape(affine_shape)
    return out


# The VJPs work in place on as few full-size buffers as they can: besides the
# arithmetic, every fresh array of this size costs page faults.

def _batch_norm_vjp_x(g, out, x, w, b, axes, eps, affine_shape, mean=None, var=None,
                      saved=None):
    xhat, inv_std = _normalize(x, axes, eps, mean, var, saved)
    scale = w.reshape(affine_shape) * inv_std  # γ r, constant along the batch axes
    if mean is not None:  # fixed statistics: x̂ is an affine function of x alone
        return g * scale
    # γ is constant over the normalized axes, so mean(ĝ) = γ Σg/m, mean(ĝ x̂) = γ Σ g x̂/m
    dx = g * xhat
    sum_gx, sum_g = _param_sums(g, xhat, affine_shape, saved, gx=dx)
    m = x.size // sum_g.size
    xp.multiply(xhat, sum_gx / m, out=dx)  # reuse the g ⊙ x̂ buffer
    xp.subtract(g, dx, out=dx)
    dx -= sum_g / m
    dx *= scale
    return dx


def _layer_norm_vjp_x(g, out, x, w, b, axes, eps, affine_shape, mean=None, var=None,
                      saved=None):
    xhat, inv_std = _normalize(x, axes, eps, mean, var, saved)
    w = w.reshape(affine_shape)
    k = len(affine_shape)
    gx = g * xhat
    _param_sums(g, xhat, affine_shape, saved, gx=gx)
    # per example: mean(ĝ) and mean(ĝ ⊙ x̂) with ĝ = γ ⊙ g, as contractions with γ
    m1 = xp.tensordot(g, w, axes=k) / w.size
    m2 = xp.tensordot(gx, w, axes=k) / w.size
    keep = (1,) * k
    xp.multiply(xhat, m2.reshape(m2.shape + keep), out=gx)  # reuse the g ⊙ x̂ buffer
    gx += m1.reshape(m1.shape + keep)
    dx = g * w
    dx -= gx
    dx *= inv_std
    return dx


def _vjp_w(g, out, x, w, b, axes, eps, affine_shape, mean=None, var=None, saved=None):
    xhat, _ = _normalize(x, axes, eps, mean, var, saved)
    return _param_sums(g, xhat, affine_shape, saved)[0].reshape(w.shape)


def _vjp_b(g, out, x, w, b, axes, eps, affine_shape, mean=None, var=None, saved=None):
    xhat, _ = _normalize(x, axes, eps, mean, var, saved)
    return _param_sums(g, xhat, affine_shape, saved)[1].reshape(b.shape)


batch_norm_op = Primitive("batch_norm", forward=_forward,
                          vjps=(_batch_norm_vjp_x, _vjp_w, _vjp_b))
layer_norm_op = Primitive("layer_norm", forward=_forward,
                          vjps=(_layer_norm_vjp_x, _vjp_w, _vjp_b))


def _affine(param: Any, n_shape: tuple[int, ...], dtype: Any, fill: float) -> Tensor:
    if param is None:  # no learnable scale/shift: constants γ = 1, β = 0
        return Tensor(xp.full(n_shape, fill, dtype=dtype))
    return as_tensor(param)


def batch_norm(input: Any, running_mean: Any = None, running_var: Any = None,
               weight: Any = None, bias: Any = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Batch normalization (Ioffe & Szegedy, 2015) over the batch axis, per channel.

    Training (or no running statistics given): normalize with the batch's μ and biased
    σ², and, if running buffers are given, update them in place as PyTorch does:
    running_mean ← (1 − momentum)·running_mean + momentum·μ,
    running_var ← (1 − momentum)·running_var + momentum·σ²·m/(m − 1) (unbiased).
    Evaluation: normalize with running_mean and running_var.

    Shape:
        (N, C) or (N, C, L); statistics per channel C over N (and L).
    """
    x = as_tensor(input)
    if x.ndim not in (2, 3):
        raise ShapeError(f"batch_norm: expected input of shape (N, C) or (N, C, L), got "
                         f"{x.shape}")
    axes = (0,) if x.ndim == 2 else (0, 2)
    channels = x.shape[1]
    affine_shape = (channels,) if x.ndim == 2 else (channels, 1)
    w = _affine(weight, (channels,), x.dtype, 1.0)
    b = _affine(bias, (channels,), x.dtype, 0.0)
    if w.shape != (channels,) or b.shape != (channels,):
        raise ShapeError(f"batch_norm: weight and bias need shape ({channels},) for input of "
                         f"shape {x.shape}, got {w.shape} and {b.shape}")
    if not training and running_mean is not None:
        stats = xp.asarray(running_mean).reshape(affine_shape), xp.asarray(
            running_var).reshape(affine_shape)
        return batch_norm_op(x, w, b, axes=axes, eps=eps, affine_shape=affine_shape,
                             mean=stats[0].astype(x.dtype, copy=False),
                             var=stats[1].astype(x.dtype, copy=False))
    m = x.size // channels
    if m <= 1:
        raise ValueError(
            f"batch_norm: expected more than 1 value per channel when training, got input "
            f"of shape {x.shape}; use a batch of at least 2 examples, or call model.eval() "
            "to normalize with the running statistics")
    saved = Saved()
    out = batch_norm_op(x, w, b, axes=axes, eps=eps, affine_shape=affine_shape, saved=saved)
    if training and running_mean is not None:
        mean = saved.mean.reshape(channels)
        var = saved.var.reshape(channels)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += (momentum * m / (m - 1)) * var
    return out


def layer_norm(input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None,
               eps: float = 1e-5) -> Tensor:
    """Layer normalization (Ba et al., 2016): each example normalized over its last axes.

    μ and σ² (biased) are taken over the trailing ``normalized_shape`` axes of every
    example; the same computation in training and evaluation.

    Shape:
        (…, *normalized_shape) → same shape.
    """
    x = as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if x.ndim < k or tuple(x.shape[x.ndim - k:]) != shape:
        raise ShapeError(f"layer_norm: normalized_shape={shape} but the input has shape "
                         f"{x.shape}; its last {k} axes must be {shape}")
    w = _affine(weight, shape, x.dtype, 1.0)
    b = _affine(bias, shape, x.dtype, 0.0)
    axes = tuple(range(x.ndim - k, x.ndim))
    return layer_norm_op(x, w, b, axes=axes, eps=eps, affine_shape=shape, saved=Saved())
