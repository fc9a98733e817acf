"""Forward mode: push a tangent u through the graph to get the directional derivative J u.

Reverse mode (``backward``) computes vᵀJ — one sweep per *output*, ideal for a
scalar loss of many parameters. Forward mode computes J u — one sweep per *input
direction*, ideal when there are few inputs and many outputs. Both use the same
primitives: each carries a JVP rule next to its VJP rules.

Here the primal values are computed first (recording the graph), then the
tangents are swept forward through it in topological order, applying each node's
JVP: ṫ_out = Σ_k ∂f/∂x_k · ṫ_k.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mlplab.autograd.engine import topological_order
from mlplab.autograd.grad_mode import enable_grad
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def jvp(fn: Callable[..., Any], inputs: Any, tangents: Any) -> tuple[Any, Any]:
    """Evaluate ``fn(*inputs)`` and its Jacobian-vector product with ``tangents``.

    Args:
        fn: a function of tensors returning a tensor or a tuple of tensors.
        inputs: a tensor/array or a sequence of them (the point x).
        tangents: same structure and shapes as ``inputs`` (the direction u).

    Returns:
        ``(outputs, output_tangents)``: f(x) and J_f(x) u, as tensors cut from any graph,
        with the same structure as what ``fn`` returns.

    >>> import mlplab as ml
    >>> out, dout = jvp(lambda x: x * x, ml.tensor(3.0), ml.tensor(1.0))
    >>> float(out), float(dout)
    (9.0, 6.0)
    """
    xs = _as_tuple(inputs)
    us = _as_tuple(tangents)
    if len(xs) != len(us):
        raise ValueError(f"jvp: {len(xs)} inputs but {len(us)} tangents; give one tangent each")
    primals = [Tensor(x.data if isinstance(x, Tensor) else x, requires_grad=True) for x in xs]
    tangent_of: dict[int, Any] = {}
    for x, u in zip(primals, us, strict=True):
        u = xp.asarray(u.data if isinstance(u, Tensor) else u, dtype=x.data.dtype)
        if u.shape != x.shape:
            raise ValueError(f"jvp: tangent of shape {u.shape} for an input of shape {x.shape}")
        tangent_of[id(x)] = u
    with enable_grad():
        result = fn(*primals)
    outputs = _as_tuple(result)
    for node in topological_order(*[o for o in outputs if o.requires_grad]):
        if node._prim is None:
            continue
        ts = [tangent_of.get(id(p)) for p in node._inputs]
        if all(t is None for t in ts):
            continue
        if node._prim.jvp is None:
            raise NotImplementedError(f"jvp: primitive {node._prim.name!r} has no forward rule")
        tangent_of[id(node)] = xp.asarray(node._prim.jvp(ts, node.data, *[p.data for p in
                                                                           node._inputs],
                                                         **node._params))
    values = tuple(Tensor(o.data) for o in outputs)
    derivs = tuple(Tensor(tangent_of.get(id(o), xp.zeros_like(o.data))) for o in outputs)
    if isinstance(result, tuple | list):
        return values, derivs
    return values[0], derivs[0]


def vjp(fn: Callable[..., Any], inputs: Any, cotangent: Any) -> tuple[Any, Any]:
    """Evaluate ``fn(*inputs)`` (one output) and the vector-Jacobian product vᵀJ by reverse mode.

    Returns ``(output, input_cotangents)`` with one array-tensor per input.
    """
    xs = _as_tuple(inputs)
    primals: Sequence[Tensor] = [Tensor(x.data if isinstance(x, Tensor) else x,
                                        requires_grad=True) for x in xs]
    with enable_grad():
        out = fn(*primals)
    if out.requires_grad:
        out.backward(cotangent)
    grads = tuple(Tensor(p.grad if p.grad is not None else xp.zeros_like(p.data))
                  for p in primals)
    value = Tensor(out.data)
    return value, (grads if isinstance(inputs, tuple | list) else grads[0])
