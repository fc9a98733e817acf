"""Elementwise primitives: exp, log, sqrt, abs, the classic activations, max/min, where, clip.

Where a derivative is undefined at a single point the choice follows PyTorch and
is written beside the rule (relu′(0) = 0, |x|′(0) = 0, ties of maximum split the
gradient in half).
"""

from __future__ import annotations

from mlplab.autograd.ops.arithmetic import _sum_tangents
from mlplab.autograd.primitive import Primitive, unbroadcast
from mlplab.backend import positive_part, xp

# y = eˣ:  y′ = eˣ = y (reuses the output)
exp = Primitive(
    "exp",
    forward=xp.exp,
    vjps=(lambda g, out, x: g * out,),
    jvp=lambda t, out, x: t[0] * out,
)

# y = ln x:  y′ = 1/x
log = Primitive(
    "log",
    forward=xp.log,
    vjps=(lambda g, out, x: g / x,),
    jvp=lambda t, out, x: t[0] / x,
)

# y = √x:  y′ = 1/(2√x) = 1/(2y)
sqrt = Primitive(
    "sqrt",
    forward=xp.sqrt,
    vjps=(lambda g, out, x: g / (2 * out),),
    jvp=lambda t, out, x: t[0] / (2 * out),
)

# y = |x|:  y′ = sign(x), with sign(0) = 0
abs = Primitive(  # noqa: A001 - the op's public name
    "abs",
    forward=xp.abs,
    vjps=(lambda g, out, x: g * xp.sign(x),),
    jvp=lambda t, out, x: t[0] * xp.sign(x),
)

# ReLU: a = max(0, z);  a′ = 1 if z > 0 else 0 (0 at z = 0, as PyTorch)
relu = Primitive(
    "relu",
    forward=positive_part,
    vjps=(lambda g, out, z: g * (out > 0),),
    jvp=lambda t, out, z: t[0] * (out > 0),
)


def _sigmoid(z):
    """σ(z) = 1/(1+e⁻ᶻ). For z ≪ 0, e⁻ᶻ overflows to inf and σ correctly becomes 0."""
    with xp.errstate(over="ignore"):
        out = xp.exp(-z)
    if type(out) is not xp.ndarray:  # a 0-d input gives a NumPy scalar: no in-place update
        return 1 / (1 + out)
    out += 1
    return xp.reciprocal(out, out=out)


# sigmoid: a = σ(z);  a′ = σ(z)(1 − σ(z)) = a(1 − a)  (reuses the output)
sigmoid = Primitive(
    "sigmoid",
    forward=_sigmoid,
    vjps=(lambda g, out, z: g * out * (1 - out),),
    jvp=lambda t, out, z: t[0] * out * (1 - out),
)

# tanh: a = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ);  a′ = 1 − a²  (reuses the output)
tanh = Primitive(
    "tanh",
    forward=xp.tanh,
    vjps=(lambda g, out, z: g * (1 - out * out),),
    jvp=lambda t, out, z: t[0] * (1 - out * out),
)


def _share_of_a(a, b):
    """Fraction of ∂max(a, b) that goes to a: 1 where a wins, ½ on ties (PyTorch's choice)."""
    dtype = xp.result_type(a, b)
    return (a > b).astype(dtype) + xp.asarray(0.5, dtype) * (a == b)


# z = max(a, b) elementwise:  ∂z/∂a = [a > b] + ½[a = b]
maximum = Primitive(
    "maximum",
    forward=xp.maximum,
    vjps=(lambda g, out, a, b: unbroadcast(g * _share_of_a(a, b), a.shape),
          lambda g, out, a, b: unbroadcast(g * _share_of_a(b, a), b.shape)),
    jvp=lambda t, out, a, b: xp.broadcast_to(_sum_tangents(
        None if t[0] is None else t[0] * _share_of_a(a, b),
        None if t[1] is None else t[1] * _share_of_a(b, a)), out.shape),
)

# z = min(a, b) elementwise:  ∂z/∂a = [a < b] + ½[a = b]
minimum = Primitive(
    "minimum",
    forward=xp.minimum,
    vjps=(lambda g, out, a, b: unbroadcast(g * _share_of_a(b, a), a.shape),
          lambda g, out, a, b: unbroadcast(g * _share_of_a(a, b), b.shape)),
    jvp=lambda t, out, a, b: xp.broadcast_to(_sum_tangents(
        None if t[0] is None else t[0] * _share_of_a(b, a),
        None if t[1] is None else t[1] * _share_of_a(a, b)), out.shape),
)

# z = a where cond else b:  ∂z/∂a = [cond], ∂z/∂b = [not cond]; cond takes no gradient
where = Primitive(
    "where",
    forward=xp.where,
    vjps=(None,
          lambda g, out, c, a, b: unbroadcast(xp.where(c, g, 0), a.shape),
          lambda g, out, c, a, b: unbroadcast(xp.where(c, 0, g), b.shape)),
    jvp=lambda t, out, c, a, b: xp.broadcast_to(_sum_tangents(
        None if t[1] is None else xp.where(c, t[1], 0),
        None if t[2] is None else xp.where(c, 0, t[2])), out.shape),
)


def _inside(x, low, high):
    """[low ≤ x ≤ high]: where clip passes the gradient (bounds inclusive, as PyTorch)."""
    mask = xp.ones(x.shape, dtype=bool)
    if low is not None:
        mask &= x >= low
    if high is not None:
        mask &= x <= high
    return mask


# y = min(max(x, low), high):  y′ = [low ≤ x ≤ high]
clip = Primitive(
    "clip",
    forward=lambda x, low=None, high=None: xp.clip(x, low, high),
    vjps=(lambda g, out, x, low=None, high=None: g * _inside(x, low, high),),
    jvp=lambda t, out, x, low=None, high=None: t[0] * _inside(x, low, high),
)
