"""The affine map of a layer, as one fused primitive, and Maxout built on it.

Per example (column layout: one example per column):   z = W a + b,   W of shape (n^[l], n^[l−1]).
For a batch of row vectors X (one example per row):   Z = X Wᵀ + b.

VJPs (g = ∂L/∂Z, summed over every example in the batch):

    dX = g W          dW = gᵀ X          db = Σ_rows g

These are the column-layout equations dA_prev = Wᵀ dZ, dW = dZ A_prevᵀ, db = Σ dZ written for rows
(the 1/m of the mean cost comes from the loss's mean, upstream in g).

A SciPy sparse matrix (CSR) is accepted as X: Z = X Wᵀ and dW = (Xᵀ g)ᵀ are
computed without densifying X (text features stay sparse); X itself gets no gradient.
"""

from __future__ import annotations

from typing import Any

from mlplab.autograd.primitive import Primitive, ShapeError
from mlplab.autograd.tensor import Tensor, as_tensor
from mlplab.backend import sum_rows, xp
from mlplab.checks import is_sparse


def _forward(x, w, b=None):
    z = x @ w.T
    if is_sparse(x):
        z = xp.asarray(z)
    if b is not None:
        z += b  # z is a fresh array: adding in place saves one allocation
    return z


def _vjp_x(g, out, x, w, b=None):
    # dX = g W
    return g @ w


def _vjp_w(g, out, x, w, b=None):
    # dW = gᵀ X, with every leading axis of X counted as examples
    if x.ndim == 2 and type(x) is xp.ndarray:  # the usual batch of rows
        return g.T @ x
    if is_sparse(x):
        return xp.ascontiguousarray((x.T @ g).T)
    if x.ndim == 1:
        return xp.outer(g, x)
    return g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])


def _vjp_b(g, out, x, w, b):
    # db = Σ over examples of g
    if g.ndim == 2:
        return sum_rows(g)
    return g.reshape(-1, g.shape[-1]).sum(axis=0) if g.ndim > 1 else g


def _jvp(t, out, x, w, b=None):
    tx, tw = t[0], t[1]
    tb = t[2] if len(t) > 2 else None
    total = xp.zeros_like(out)
    if tx is not None:
        total += tx @ w.T
    if tw is not None:
        total += xp.asarray(x @ tw.T)
    if tb is not None:
        total += tb
    return total


def _explain(x, w, b=None) -> str:
    return (f"linear: input of width {x.shape[-1]} does not fit weight of shape {w.shape} "
            f"(in_features={w.shape[1]})")


# Z = X Wᵀ + b, one node in the graph (fused: no separate matmul, transpose and add)
linear_op = Primitive("linear", forward=_forward, vjps=(_vjp_x, _vjp_w, _vjp_b), jvp=_jvp,
                      explain=_explain)
# Z = X Wᵀ (a layer built with bias=False)
linear_no_bias_op = Primitive("linear_no_bias", forward=_forward, vjps=(_vjp_x, _vjp_w),
                              jvp=_jvp, explain=_explain)


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """Z = X Wᵀ + b (z = W a + b for each row a of X).

    Args:
        input: X of shape (N, in_features) (or (in_features,), or (…, in_features)); a
            dense tensor/array or a SciPy sparse matrix. If its dtype differs from the
            weight's, it is cast to the weight's dtype (float64 NumPy data meets a
            float32 model: the model's precision wins, as a deliberate, documented cast).
        weight: W of shape (out_features, in_features).
        bias: b of shape (out_features,), or None.

    Shape:
        (N, in_features) → (N, out_features).

    >>> import mlplab as ml
    >>> z = ml.nn.functional.linear(ml.tensor([[1.0, 2.0]]), ml.tensor([[1.0, -1.0]]),
    ...                             ml.tensor([0.5]))
    >>> z.tolist()
    [[-0.5]]
    """
    weight = as_tensor(weight)
    x = as_tensor(input)
    w_data, x_data = weight.data, x.data  # read once: this runs for every layer, every step
    if w_data.ndim != 2:
        raise ShapeError(f"linear: weight must be 2-D (out_features, in_features), got shape "
                         f"{w_data.shape}")
    if x_data.ndim == 0 or x_data.shape[-1] != w_data.shape[1]:
        raise ShapeError(
            f"linear: input of shape {x_data.shape} does not fit weight of shape "
            f"{w_data.shape}: expected input of shape (N, {w_data.shape[1]})")
    if is_sparse(x_data):
        if x.requires_grad:
            raise ValueError("linear: a sparse input cannot require grad (only dense inputs "
                             "get gradients); pass the sparse matrix as data")
        if x_data.dtype != w_data.dtype:
            x = Tensor(x_data.astype(w_data.dtype))
    elif x_data.dtype != w_data.dtype:
        x = x.astype(w_data.dtype)
    if bias is None:
        return linear_no_bias_op(x, weight)
    return linear_op(x, weight, as_tensor(bias))


def _pieces(z, pieces):
    return z.reshape(*z.shape[:-1], z.shape[-1] // pieces, pieces)


def _max_pieces(z, pieces):
    zk = _pieces(z, pieces)
    out = zk[..., 0].copy()
    for k in range(1, pieces):  # K − 1 elementwise maxima: much faster than a reduction
        xp.maximum(out, zk[..., k], out=out)  # over a short trailing axis
    return out


def _winner_shares(out, z, pieces):
    """[z_jk = h_j] / #ties for each piece k: where the gradient of the max goes."""
    zk = _pieces(z, pieces)
    wins = [(zk[..., k] == out) for k in range(pieces)]
    counts = sum(w.astype(z.dtype) for w in wins)
    return [w / counts for w in wins]


def _max_pieces_vjp(g, out, z, pieces):
    # ∂h_j/∂z_jk = 1 for the winning piece (split evenly between ties, as PyTorch's amax)
    grad = xp.empty(_pieces(z, pieces).shape, dtype=g.dtype)
    for k, share in enumerate(_winner_shares(out, z, pieces)):
        grad[..., k] = g * share
    return grad.reshape(z.shape)


# h_j = max_k z_{j·K+k}: the maxout reduction over K adjacent pieces
max_pieces_op = Primitive(
    "max_pieces",
    forward=_max_pieces,
    vjps=(_max_pieces_vjp,),
    jvp=lambda t, out, z, pieces: sum(
        _pieces(t[0], pieces)[..., k] * share
        for k, share in enumerate(_winner_shares(out, z, pieces))),
)


def maxout(input: Any, weight: Any, bias: Any, pieces: int) -> Tensor:
    """Maxout: h_j = max_{k=1..pieces} (w_{jk}ᵀ x + b_{jk}) (Goodfellow et al., 2013).

    ``weight`` has shape (out_features · pieces, in_features); row j·pieces + k holds
    piece k of unit j. The gradient flows to the winning piece only.

    Shape:
        (N, in_features) → (N, out_features).
    """
    weight = as_tensor(weight)
    if weight.ndim != 2 or weight.shape[0] % pieces:
        raise ShapeError(f"maxout: weight of shape {weight.shape} does not split into "
                         f"{pieces} pieces per unit; expected (out_features · {pieces}, "
                         "in_features)")
    return max_pieces_op(linear(input, weight, bias), pieces=int(pieces))
