"""Cross-entropy losses: softmax + cross-entropy, NLL, binary cross-entropy (± logits).

Softmax + cross-entropy is one fused primitive. For logits z of one example and
target weights M over the classes (M = one-hot of the class t in the plain case):

    ℓ = −Σ_c M_c log softmax(z)_c,    log softmax(z) = z − log Σ_j e^(z_j)

    ∂ℓ/∂z = softmax(z) · Σ_c M_c − M      (= A − Y for a one-hot target: the textbook dZ)

Label smoothing ε and class weights w only change M (as PyTorch):
integer targets  M_c = w_t (1 − ε)[c = t] + w_c ε/C,
probability targets  M_c = w_c ((1 − ε) y_c + ε/C).
Working from log-softmax never takes log(softmax), which underflows to log 0.

Plain class-index targets (no weights, no smoothing: the common case) take a leaner
primitive that reduces inside the op and keeps A − Y from the forward pass as its
residual, so the backward pass is ∂ℓ/∂z = (A − Y)·g with no recomputation.

Binary cross-entropy with logits is fused the same way: ∂ℓ/∂z = σ(z) − y.
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd.ops.softmax import logsumexp_array
from mlplab.autograd.primitive import Primitive, ShapeError
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import sum_columns, xp
from mlplab.nn.functional.loss import REDUCTION, one_hot, pair, reduce


def _log_softmax(z):
    return z - logsumexp_array(z, axis=1, keepdims=True)


def _xent_vjp_z(g, out, z, m):
    # ∂ℓ/∂z = softmax(z) Σ_c M_c − M   (softmax recomputed from z: cheaper than storing it)
    logp = _log_softmax(z)
    p = xp.exp(logp, out=logp)
    p *= m.sum(axis=1, keepdims=True)
    p -= m
    p *= g[:, None]
    return p


softmax_cross_entropy_op = Primitive(
    "softmax_cross_entropy",
    forward=lambda z, m: -xp.sum(m * _log_softmax(z), axis=1),
    vjps=(_xent_vjp_z, lambda g, out, z, m: -g[:, None] * _log_softmax(z)),
)


def _row_max(z):
    """max_j z_nj as a column (N, 1).

    NumPy reduces a short trailing axis slowly (one inner loop per row); for a few
    classes, reducing the transposed copy over its leading axis is twice as fast.
    """
    if z.shape[1] <= 32:
        return xp.ascontiguousarray(z.T).max(axis=0)[:, None]
    return z.max(axis=1, keepdims=True)


def _xent_index_forward(z, target, reduction):
    # ℓ_n = log Σ_j e^(z_nj) − z_(n,t_n), computed as log Σ_j e^(z_nj − m_n) − (z_(n,t_n) − m_n)
    rows = xp.arange(len(z))
    p = z - _row_max(z)
    picked = p[rows, target]
    xp.exp(p, out=p)
    total = sum_columns(p)
    per_example = xp.log(total)
    per_example -= picked
    p /= total[:, None]
    p[rows, target] -= 1  # residual: A − Y, the whole backward pass up to the factor g
    if reduction == "none":
        loss = per_example
    else:
        loss = per_example.sum()
        if reduction == "mean":
            loss = loss / z.dtype.type(len(z))
    if not xp.isfinite(loss).all():  # e.g. a row of −inf logits: redo it the careful way
        m = z.max(axis=1, keepdims=True)
        shift = xp.where(xp.isfinite(m), m, 0)
        per_example = (xp.log(xp.exp(z - shift).sum(axis=1)) + shift[:, 0]) - z[rows, target]
        loss = per_example if reduction == "none" else per_example.sum() / (
            len(z) if reduction == "mean" else 1)
    return loss, p


def _xent_index_vjp(g, out, z, target, reduction, residual):
    # ∂ℓ_n/∂z_n = A_n − onehot(t_n) (the residual), times g_n ('none'), g ('sum'), g/N ('mean')
    if reduction == "none":
        return residual * g[:, None]
    return residual * (g / len(z) if reduction == "mean" else g)


def _xent_index_jvp(t, out, z, target, reduction, residual):
    # dℓ_n = Σ_j (A_nj − Y_nj) dz_nj
    per_example = (residual * t[0]).sum(axis=1)
    if reduction == "none":
        return per_example
    total = per_example.sum()
    return total / len(z) if reduction == "mean" else total


softmax_cross_entropy_index_op = Primitive(
    "softmax_cross_entropy_index",
    forward=_xent_index_forward,
    vjps=(_xent_index_vjp,),
    jvp=_xent_index_jvp,
    residual=True,
)

def class_targets(target: Any, input_shape: tuple[int, ...], where: str) -> Any:
    """Validate integer class indices for an (N, C) input and return them as an array."""
    t = target.data if isinstance(target, Tensor) else xp.asarray(target)
    n, c = input_shape[0], input_shape[1]
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{where}: class targets must be integers (class indices 0..{c - 1}), got dtype "
            f"{t.dtype}; convert with y.astype('int64'), or pass class probabilities of "
            f"shape {tuple(input_shape)} for soft targets")
    if t.shape != (n,):
        raise ShapeError(
            f"{where}: target has shape {t.shape} but the input has {n} rows (the batch size); "
            f"pass one class index per example, shape ({n},)")
    if t.size and (t.min() < 0 or t.max() >= c):
        bad = int(t[(t < 0) | (t >= c)][0])
        raise ValueError(
            f"{where}: class index {bad} is out of range for {c} classes (the input has {c} "
            f"columns); targets must be in [0, {c - 1}]")
    return t


def _class_weight(weight: Any, c: int, dtype: Any, where: str) -> Any:
    if weight is None:
        return None
    w = xp.asarray(weight.data if isinstance(weight, Tensor) else weight, dtype=dtype)
    if w.shape != (c,):
        raise ShapeError(f"{where}: weight must have one entry per class, shape ({c},), got "
                         f"{w.shape}")
    return w


def _check_logits(input: Any, where: str) -> Tensor:
    x = as_tensor(input)
    if x.ndim != 2:
        raise ShapeError(f"{where}: expected input of shape (N, C) (one row of scores per "
                         f"example), got {x.shape}; for one example use x.reshape(1, -1)")
    return x


def cross_entropy(input: Any, target: Any, weight: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy of logits, the textbook L = −Σ_i t_i log y_i with y = softmax(z).

    Args:
        input: logits z, shape (N, C) (raw scores: no softmax before this loss).
        target: class indices, integer shape (N,), or class probabilities, shape (N, C).
        weight: optional per-class weights w, shape (C,).
        reduction: 'mean' | 'sum' | 'none'. With class indices and ``weight``, 'mean'
            divides by Σ_n w_{t_n} (as PyTorch); otherwise by N.
        label_smoothing: ε in [0, 1]: the target becomes (1 − ε)·target + ε/C.
    """
    where = "cross_entropy"
    checks.check(where, "reduction", reduction, REDUCTION)
    eps = checks.check_number(label_smoothing, "label_smoothing", where, low=0.0, high=1.0)
    x = _check_logits(input, where)
    n, c = x.shape
    w = _class_weight(weight, c, x.dtype, where)
    t_data = target.data if isinstance(target, Tensor) else xp.asarray(target)
    if t_data.dtype.kind == "f" and t_data.shape == x.shape:  # probability targets
        y = target if isinstance(target, Tensor) and target.requires_grad else t_data.astype(
            x.dtype, copy=False)
        m = y * (1 - eps) + eps / c if eps else y
        if w is not None:
            m = m * w
        per_example = softmax_cross_entropy_op(x, m)
        denominator = n
    else:
        t = class_targets(target, x.shape, where)
        if w is None and not eps:
            return softmax_cross_entropy_index_op(x, target=t, reduction=reduction)
        w_t = None if w is None else w[t]
        m = xp.zeros((n, c), dtype=x.dtype)
        if eps:
            m += (eps / c) * (1.0 if w is None else w)
        m[xp.arange(n), t] += (1.0 - eps) * (1.0 if w_t is None else w_t)
        per_example = softmax_cross_entropy_op(x, m)
        denominator = n if w_t is None else w_t.sum()
    if reduction == "mean":
        return per_example.sum() / x.dtype.type(denominator)
    return reduce(per_example, reduction)


def nll_loss(input: Any, target: Any, weight: Any = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of log-probabilities: ℓ_n = −w_{t_n} · input[n, t_n].

    Pair with ``log_softmax``: nll_loss(log_softmax(z), t) = cross_entropy(z, t).
    'mean' divides by Σ_n w_{t_n} (N without weights), as PyTorch.
    """
    where = "nll_loss"
    checks.check(where, "reduction", reduction, REDUCTION)
    x = _check_logits(input, where)
    n, c = x.shape
    t = class_targets(target, x.shape, where)
    w = _class_weight(weight, c, x.dtype, where)
    pick = one_hot(t, c, x.dtype)
    if w is not None:
        pick *= w[t][:, None]
    per_example = -(x * Tensor(pick)).sum(axis=1)
    if reduction == "mean":
        return per_example.sum() / x.dtype.type(n if w is None else w[t].sum())
    return reduce(per_example, reduction)


def _clamped_logs(p):
    # PyTorch clamps each log at −100 so that p = 0 or 1 gives a finite loss
    with xp.errstate(divide="ignore"):
        return xp.maximum(xp.log(p), -100), xp.maximum(xp.log1p(-p), -100)


def _bce_forward(p, y):
    log_p, log_q = _clamped_logs(p)
    return -(y * log_p + (1 - y) * log_q)


def _bce_vjp_p(g, out, p, y):
    # ∂ℓ/∂p = (p − y) / (p(1 − p)), the denominator kept ≥ 1e-12 (as PyTorch)
    return g * (p - y) / xp.maximum(p * (1 - p), 1e-12)


def _bce_vjp_y(g, out, p, y):
    log_p, log_q = _clamped_logs(p)
    return g * (log_q - log_p)


binary_cross_entropy_op = Primitive("binary_cross_entropy", forward=_bce_forward,
                                    vjps=(_bce_vjp_p, _bce_vjp_y))


def _softplus_neg(z):
    """−log σ(z) = log(1 + e^(−z)), stable for any z: log1p(e^(−|z|)) + max(−z, 0)."""
    return xp.log1p(xp.exp(-xp.abs(z))) + xp.maximum(-z, 0)


def _bce_logits_forward(z, y, pos_weight=None):
    if pos_weight is None:
        return (1 - y) * z + _softplus_neg(z)
    return (1 - y) * z + (1 + (pos_weight - 1) * y) * _softplus_neg(z)


def _sigmoid(z):
    e = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _bce_logits_vjp_z(g, out, z, y, pos_weight=None):
    # ∂ℓ/∂z = σ(z) − y (the textbook dZ = A − Y); with pos_weight p: (1 − y) − (1 + (p−1)y)(1 − σ)
    s = _sigmoid(z)
    if pos_weight is None:
        return g * (s - y)
    return g * ((1 - y) - (1 + (pos_weight - 1) * y) * (1 - s))


def _bce_logits_vjp_y(g, out, z, y, pos_weight=None):
    if pos_weight is None:
        return -g * z
    return g * (-z + (pos_weight - 1) * _softplus_neg(z))


binary_cross_entropy_with_logits_op = Primitive(
    "binary_cross_entropy_with_logits", forward=_bce_logits_forward,
    vjps=(_bce_logits_vjp_z, _bce_logits_vjp_y))


def _weighted(loss: Tensor, weight: Any, dtype: Any) -> Tensor:
    if weight is None:
        return loss
    w = weight if isinstance(weight, Tensor) else Tensor(xp.asarray(weight, dtype=dtype))
    return loss * w


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities: ℓ = −[y log p + (1 − y) log(1 − p)].

    ``input`` must already be probabilities in [0, 1] (after a sigmoid); prefer
    ``binary_cross_entropy_with_logits`` on raw scores, which is stable. Each log is
    clamped at −100 as in PyTorch. ``weight`` rescales each element.
    """
    where = "binary_cross_entropy"
    checks.check(where, "reduction", reduction, REDUCTION)
    p, y = pair(input, target, where)
    if p.size and (p.data.min() < 0 or p.data.max() > 1):
        raise ValueError(
            f"{where}: input must be probabilities in [0, 1], got values in "
            f"[{p.data.min():.4g}, {p.data.max():.4g}]; apply a sigmoid first, or use "
            "binary_cross_entropy_with_logits (BCEWithLogitsLoss) on the raw scores")
    return reduce(_weighted(binary_cross_entropy_op(p, y), weight, p.dtype), reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Sigmoid + binary cross-entropy in one stable step, on logits z:

    ℓ = −[p·y log σ(z) + (1 − y) log(1 − σ(z))] = (1 − y) z + (1 + (p − 1) y) log(1 + e^(−z)),

    with p = ``pos_weight`` (1 by default; >1 favours recall of the positive class).
    log(1 + e^(−z)) is evaluated as log1p(e^(−|z|)) + max(−z, 0): no overflow.
    """
    where = "binary_cross_entropy_with_logits"
    checks.check(where, "reduction", reduction, REDUCTION)
    z, y = pair(input, target, where)
    pw = None
    if pos_weight is not None:
        pw = xp.asarray(pos_weight.data if isinstance(pos_weight, Tensor) else pos_weight,
                        dtype=z.dtype)
    loss = binary_cross_entropy_with_logits_op(z, y, pos_weight=pw)
    return reduce(_weighted(loss, weight, z.dtype), reduction)
