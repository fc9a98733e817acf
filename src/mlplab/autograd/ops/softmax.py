"""Numerically stable log-sum-exp, log-softmax and softmax along an axis.

With m = max_j z_j:   logsumexp(z) = m + ln Σ_j e^(z_j − m)   (never overflows);
log_softmax(z)_i = z_i − logsumexp(z);   softmax(z)_i = e^(z_i) / Σ_j e^(z_j).
"""

from __future__ import annotations

from mlplab.autograd.primitive import Primitive
from mlplab.backend import sum_columns, xp


def logsumexp_array(z, axis=-1, keepdims=False):
    """log Σ exp(z) along ``axis`` on a plain ndarray (the forward of ``logsumexp``)."""
    m = xp.max(z, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0)  # a row of all −inf stays −inf, not NaN
    out = m + xp.log(xp.sum(xp.exp(z - m), axis=axis, keepdims=True))
    return out if keepdims else xp.squeeze(out, axis=axis)


def _keep(g, axis, keepdims):
    return g if keepdims else xp.expand_dims(g, axis)


# y = logsumexp(z):  ∂y/∂z_i = softmax(z)_i = e^(z_i − y)
logsumexp = Primitive(
    "logsumexp",
    forward=logsumexp_array,
    vjps=(lambda g, out, z, axis=-1, keepdims=False:
          _keep(g, axis, keepdims) * xp.exp(z - _keep(out, axis, keepdims)),),
    jvp=lambda t, out, z, axis=-1, keepdims=False: xp.sum(
        t[0] * xp.exp(z - _keep(out, axis, keepdims)), axis=axis, keepdims=keepdims),
)

def _sum_keep(a, axis):
    """Σ over ``axis`` with keepdims; a batch of rows (2-D, last axis) as one BLAS call."""
    if a.ndim == 2 and axis in (-1, 1):
        return sum_columns(a)[:, None]
    return xp.sum(a, axis=axis, keepdims=True)


def _log_softmax(z, axis=-1):
    # z − m − log Σ_j e^(z_j − m), in place on one fresh array
    m = xp.max(z, axis=axis, keepdims=True)
    if not xp.isfinite(m.sum()):  # ±inf or NaN somewhere: the guarded logsumexp
        return z - logsumexp_array(z, axis=axis, keepdims=True)
    out = z - m
    out -= xp.log(_sum_keep(xp.exp(out), axis))
    return out


# y = log_softmax(z):  ∂L/∂z = g − softmax(z) · Σ_j g_j
log_softmax = Primitive(
    "log_softmax",
    forward=_log_softmax,
    vjps=(lambda g, out, z, axis=-1: g - xp.exp(out) * _sum_keep(g, axis),),
    jvp=lambda t, out, z, axis=-1: t[0] - xp.sum(xp.exp(out) * t[0], axis=axis, keepdims=True),
)


def _softmax(z, axis=-1):
    e = xp.exp(z - xp.max(z, axis=axis, keepdims=True))
    e /= _sum_keep(e, axis)
    return e


# a = softmax(z):  ∂L/∂z = a ⊙ (g − Σ_j g_j a_j)   (the Jacobian is diag(a) − a aᵀ)
softmax = Primitive(
    "softmax",
    forward=_softmax,
    vjps=(lambda g, out, z, axis=-1: out * (g - _sum_keep(g * out, axis)),),
    jvp=lambda t, out, z, axis=-1: out * (t[0] - xp.sum(t[0] * out, axis=axis, keepdims=True)),
)
