"""Activation functions a = g(z) and their derivatives g′(z).

sigmoid, tanh and relu are the autograd primitives (their VJPs reuse the output:
σ′ = a(1 − a), tanh′ = 1 − a², relu′ = [z > 0]). The ReLU family below is one
primitive each: a single pass forward and a single pass backward, where the
composition with ``where`` would take three. At z = 0 the derivative follows
PyTorch: the negative-side slope (0 for ReLU, λ for LeakyReLU, a for PReLU, α for ELU).
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd import ops
from mlplab.autograd.primitive import Primitive, ShapeError, unbroadcast
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import xp


def _slope_factor(z, slope):
    """The leaky family's derivative: 1 where z > 0, else ``slope`` (scalar or array).

    Built with arithmetic on the 0/1 mask rather than ``where``: on random signs the
    branchy ``where`` loop is several times slower than three vectorized passes.
    """
    factor = (z > 0).astype(z.dtype)
    factor *= 1 - slope
    factor += slope
    return factor


def _leaky_forward(z, slope):
    if xp.ndim(slope) == 0 and 0 <= slope <= 1:
        return xp.maximum(z, z * slope)  # max(z, λz) is λz exactly when z ≤ 0
    return z * _slope_factor(z, slope)


# LeakyReLU: a = z if z > 0 else λz;   a′ = 1 if z > 0 else λ.
# ``slope`` may be an array of z's shape: RReLU's per-element random slopes.
leaky_relu_op = Primitive(
    "leaky_relu",
    forward=_leaky_forward,
    vjps=(lambda g, out, z, slope: g * _slope_factor(z, slope),),
    jvp=lambda t, out, z, slope: t[0] * _slope_factor(z, slope),
)


def _channel(w, ndim: int):
    """PReLU's slopes, shaped to broadcast along the channel axis (axis 1)."""
    if w.size == 1:
        return w.reshape(())
    return w.reshape((1, w.size) + (1,) * (ndim - 2))


def _prelu_vjp_w(g, out, z, w):
    # ∂a/∂a_c = z where z ≤ 0, else 0 (= min(z, 0)), summed over every position of channel c
    wb = _channel(w, z.ndim)
    return unbroadcast(g * xp.minimum(z, 0), wb.shape).reshape(w.shape)


# PReLU: a = z if z > 0 else a_c z  (a_c learnable per channel);  ∂a/∂z = 1 or a_c
prelu_op = Primitive(
    "prelu",
    forward=lambda z, w: z * _slope_factor(z, _channel(w, z.ndim)),
    vjps=(lambda g, out, z, w: g * _slope_factor(z, _channel(w, z.ndim)), _prelu_vjp_w),
    jvp=lambda t, out, z, w: (
        (0 if t[0] is None else t[0] * _slope_factor(z, _channel(w, z.ndim)))
        + (0 if t[1] is None else xp.minimum(z, 0) * _channel(t[1], z.ndim))),
)


def _elu_forward(z, alpha):
    neg = xp.minimum(z, 0)
    if z.dtype == xp.float32:
        # NumPy's float32 expm1 is not vectorized (~10x slower than exp); e^z − 1 loses
        # only absolute accuracy ~1e-7, below float32's resolution of the activations
        xp.exp(neg, out=neg)
        neg -= 1
    else:
        neg = xp.expm1(neg)
    neg *= alpha
    neg += xp.maximum(z, 0)  # α(e^min(z,0) − 1) + max(z, 0): each branch where it applies
    return neg


def _elu_vjp(g, out, z, alpha):
    # a′ = a + α where z ≤ 0, else 1:  ((a + α − 1)·[z ≤ 0] + 1) · g
    d = out + (alpha - 1)
    d *= z <= 0
    d += 1
    d *= g
    return d


# ELU: a = z if z > 0 else α(eᶻ − 1);   a′ = 1 if z > 0 else αeᶻ = a + α (reuses the output)
elu_op = Primitive(
    "elu",
    forward=_elu_forward,
    vjps=(_elu_vjp,),
    jvp=lambda t, out, z, alpha: _elu_vjp(t[0], out, z, alpha),
)


def sigmoid(input: Any) -> Tensor:
    """σ(z) = 1/(1 + e⁻ᶻ); σ′(z) = σ(z)(1 − σ(z)) = a(1 − a) ≤ 1/4."""
    return ops.sigmoid(input)


def tanh(input: Any) -> Tensor:
    """tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ); tanh′(z) = 1 − a²."""
    return ops.tanh(input)


def relu(input: Any) -> Tensor:
    """ReLU(z) = max(0, z); ReLU′(z) = 1 if z > 0 else 0."""
    return ops.relu(input)


def leaky_relu(input: Any, negative_slope: float = 0.01) -> Tensor:
    """LeakyReLU(z) = z if z > 0 else λz, with λ = ``negative_slope``; derivative 1 or λ."""
    return leaky_relu_op(input, slope=float(negative_slope))


def prelu(input: Any, weight: Any) -> Tensor:
    """PReLU(z) = z if z > 0 else a z, with learnable a (``weight``: one slope, or one per
    channel along axis 1)."""
    x, w = as_tensor(input), as_tensor(weight)
    if w.size > 1 and (x.ndim < 2 or x.shape[1] != w.size):
        raise ShapeError(f"prelu: {w.size} slopes (one per channel) need an input with "
                         f"{w.size} channels on axis 1, got shape {x.shape}")
    return prelu_op(x, w)


def rrelu(input: Any, lower: float = 1 / 8, upper: float = 1 / 3, training: bool = False,
          rng: Any = None) -> Tensor:
    """Randomized leaky ReLU (Xu et al., 2015), as PyTorch.

    Training: a = z if z > 0 else r z, one slope r ~ U[lower, upper] per element, drawn
    from ``rng`` (int, Generator or None). Evaluation: the fixed slope (lower + upper)/2.
    """
    checks.check_number(lower, "lower", "rrelu", low=0)
    checks.check_number(upper, "upper", "rrelu", low=lower)
    x = as_tensor(input)
    if not training:
        return leaky_relu_op(x, slope=(lower + upper) / 2)
    slopes = checks.as_generator(rng, name="rng").uniform(lower, upper, size=x.shape)
    return leaky_relu_op(x, slope=slopes.astype(x.dtype))


def elu(input: Any, alpha: float = 1.0) -> Tensor:
    """ELU(z) = z if z > 0 else α(eᶻ − 1) (Clevert et al., 2016); derivative 1 or a + α."""
    return elu_op(input, alpha=float(alpha))


def softmax(input: Any, dim: int = -1) -> Tensor:
    """softmax(z)_i = e^(z_i) / Σ_j e^(z_j) along ``dim`` (computed as e^(z_i − max z))."""
    return ops.softmax(input, axis=dim)


def log_softmax(input: Any, dim: int = -1) -> Tensor:
    """log softmax(z)_i = z_i − log Σ_j e^(z_j), via log-sum-exp (never log of softmax)."""
    return ops.log_softmax(input, axis=dim)


def hardmax(input: Any, dim: int = -1) -> Tensor:
    """One-hot of the argmax along ``dim`` (the first index on ties).

    In contrast to softmax, hardmax puts 1 at the largest z and 0 elsewhere.
    It is piecewise constant, so it is not differentiable: the result carries no graph.
    """
    x = as_tensor(input)
    index = xp.expand_dims(xp.argmax(x.data, axis=dim), dim)
    out = xp.zeros(x.shape, dtype=x.dtype if x.dtype.kind == "f" else xp.float64)
    xp.put_along_axis(out, index, 1, axis=dim)
    return Tensor(out)
