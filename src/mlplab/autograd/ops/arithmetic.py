"""Arithmetic primitives: + − × ÷ power, unary minus, matrix product, dtype cast.

Each binary op broadcasts like NumPy; its VJP sums the gradient back to the
input's shape with ``unbroadcast``. Subtraction and division are primitives of
their own (not a + (−b), a · b⁻¹) because they sit on the hot path of every loss.
"""

from __future__ import annotations

from mlplab.autograd.primitive import Primitive, unbroadcast
from mlplab.backend import xp


def _sum_tangents(*terms):
    """Add the non-None tangent contributions (None is a zero tangent)."""
    total = None
    for term in terms:
        if term is not None:
            total = term if total is None else total + term
    return total


def _mul_or_none(t, factor):
    return None if t is None else t * factor


# z = a + b:  ∂z/∂a = 1, ∂z/∂b = 1
add = Primitive(
    "add",
    forward=xp.add,
    vjps=(lambda g, out, a, b: unbroadcast(g, a.shape),
          lambda g, out, a, b: unbroadcast(g, b.shape)),
    jvp=lambda t, out, a, b: xp.broadcast_to(_sum_tangents(*t), out.shape),
)

# z = a − b:  ∂z/∂a = 1, ∂z/∂b = −1
sub = Primitive(
    "sub",
    forward=xp.subtract,
    vjps=(lambda g, out, a, b: unbroadcast(g, a.shape),
          lambda g, out, a, b: unbroadcast(-g, b.shape)),
    jvp=lambda t, out, a, b: xp.broadcast_to(
        _sum_tangents(t[0], None if t[1] is None else -t[1]), out.shape),
)

# z = a · b:  ∂z/∂a = b, ∂z/∂b = a
mul = Primitive(
    "mul",
    forward=xp.multiply,
    vjps=(lambda g, out, a, b: unbroadcast(g * b, a.shape),
          lambda g, out, a, b: unbroadcast(g * a, b.shape)),
    jvp=lambda t, out, a, b: xp.broadcast_to(
        _sum_tangents(_mul_or_none(t[0], b), _mul_or_none(t[1], a)), out.shape),
)

# z = a / b:  ∂z/∂a = 1/b, ∂z/∂b = −a/b² = −z/b
div = Primitive(
    "div",
    forward=xp.divide,
    vjps=(lambda g, out, a, b: unbroadcast(g / b, a.shape),
          lambda g, out, a, b: unbroadcast(-g * out / b, b.shape)),
    jvp=lambda t, out, a, b: xp.broadcast_to(
        _sum_tangents(None if t[0] is None else t[0] / b,
                      None if t[1] is None else -t[1] * out / b), out.shape),
)

# z = −a:  ∂z/∂a = −1
neg = Primitive(
    "neg",
    forward=xp.negative,
    vjps=(lambda g, out, a: -g,),
    jvp=lambda t, out, a: -t[0],
)


def _log_base(a, b):
    """ln a for ∂(aᵇ)/∂b = aᵇ ln a; 0 where a = 0 and b ≥ 0 (the limit, as PyTorch does)."""
    with xp.errstate(divide="ignore", invalid="ignore"):
        log_a = xp.log(a)
    return xp.where((a == 0) & (b >= 0), 0.0, log_a).astype(out_dtype(a, b))


def out_dtype(a, b):
    return xp.result_type(a, b)


def _pow_vjp_base(g, out, a, b):
    # ∂(aᵇ)/∂a = b·a^(b−1); the square (losses, variances) is common enough for a fast path
    if b.ndim == 0 and b == 2:
        return unbroadcast(g * (a + a), a.shape)
    with xp.errstate(divide="ignore", invalid="ignore"):
        return unbroadcast(g * b * xp.power(a, b - 1), a.shape)


def _pow_jvp(t, out, a, b):
    terms = []
    if t[0] is not None:
        with xp.errstate(divide="ignore", invalid="ignore"):
            terms.append(t[0] * b * xp.power(a, b - 1))
    if t[1] is not None:
        terms.append(t[1] * out * _log_base(a, b))
    return xp.broadcast_to(_sum_tangents(*terms), out.shape)


# z = aᵇ:  ∂z/∂a = b·a^(b−1), ∂z/∂b = aᵇ·ln a
power = Primitive(
    "pow",
    forward=xp.power,
    vjps=(_pow_vjp_base,
          lambda g, out, a, b: unbroadcast(g * out * _log_base(a, b), b.shape)),
    jvp=_pow_jvp,
)


def _matmul_explain(a, b) -> str:
    if a.ndim == 0 or b.ndim == 0:
        return f"matmul: {a.shape} @ {b.shape} — both operands need at least one dimension"
    inner_a = a.shape[-1]
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if inner_a != inner_b:
        return (f"matmul: {a.shape} @ {b.shape} — inner dimensions {inner_a} and {inner_b} "
                "differ")
    return f"matmul: {a.shape} @ {b.shape} — batch dimensions do not broadcast"


def _product_laid_out_like(x, p, q):
    """p @ q, computed as (qᵀ pᵀ)ᵀ when x is a transposed (F-ordered) matrix.

    ``X @ W.T`` is the usual layer: W.T is a transposed view, and its gradient is
    transposed back by the ``transpose`` node. Computing it in W's own (C) order
    makes that final gradient contiguous, so storing it is a plain copy instead of
    a strided transposing copy (~1 ms for a 784×512 matrix).
    """
    if x.ndim == 2 and x.flags.f_contiguous and not x.flags.c_contiguous:
        return xp.matmul(q.T, p.T).T
    return xp.matmul(p, q)


def _matmul_vjp_a(g, out, a, b):
    # Z = A B  ⇒  dA = dZ Bᵀ (1-D operands are promoted to matrices, then squeezed back)
    if b.ndim == 1:
        g_mat = xp.expand_dims(g, -1)
        grad = g_mat * b if a.ndim > 1 else g * b
    elif a.ndim == 1:
        grad = xp.matmul(xp.expand_dims(g, -2), xp.swapaxes(b, -1, -2))
        grad = xp.squeeze(grad, -2)
    elif a.ndim == 2 and b.ndim == 2:
        grad = _product_laid_out_like(a, g, b.T)
    else:
        grad = xp.matmul(g, xp.swapaxes(b, -1, -2))
    return unbroadcast(grad, a.shape)


def _matmul_vjp_b(g, out, a, b):
    # Z = A B  ⇒  dB = Aᵀ dZ
    if a.ndim == 1:
        g_row = xp.expand_dims(g, -2) if b.ndim > 1 else g
        grad = xp.expand_dims(a, -1) * g_row if b.ndim > 1 else a * g
    elif b.ndim == 1:
        grad = xp.matmul(xp.swapaxes(a, -1, -2), xp.expand_dims(g, -1))
        grad = xp.squeeze(grad, -1)
    elif a.ndim == 2 and b.ndim == 2:
        grad = _product_laid_out_like(b, a.T, g)
    else:
        grad = xp.matmul(xp.swapaxes(a, -1, -2), g)
    return unbroadcast(grad, b.shape)


# Z = A @ B (1-D, 2-D and batched, as numpy.matmul)
matmul = Primitive(
    "matmul",
    forward=xp.matmul,
    vjps=(_matmul_vjp_a, _matmul_vjp_b),
    jvp=lambda t, out, a, b: _sum_tangents(
        None if t[0] is None else xp.matmul(t[0], b),
        None if t[1] is None else xp.matmul(a, t[1])),
    explain=_matmul_explain,
)

# y = x with another dtype; the gradient is cast back to x's dtype
cast = Primitive(
    "cast",
    forward=lambda x, dtype: x.astype(dtype),
    vjps=(lambda g, out, x, dtype: g.astype(x.dtype),),
    jvp=lambda t, out, x, dtype: t[0].astype(dtype),
)
