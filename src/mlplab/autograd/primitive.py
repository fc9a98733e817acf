"""Differentiable primitives: a forward function with its VJPs and JVP side by side.

The contract every primitive states once, as math:

* forward:  out = f(x₁, …, xₙ; params)  on raw arrays;
* VJP for input k:  ``vjp_k(g, out, x₁, …, xₙ, **params) = g · ∂f/∂x_k``, shaped like x_k
  (g is the upstream gradient ∂L/∂out; ``out`` is passed so that rules such as
  exp′ = out, σ′ = a(1−a) and tanh′ = 1−a² reuse the forward result);
* JVP:  ``jvp(tangents, out, x₁, …, xₙ, **params) = Σ_k ∂f/∂x_k · t_k``, where a tangent
  of ``None`` means zero (used by forward mode, ``mlplab.autograd.jvp``);
* residual (optional): a primitive built with ``residual=True`` returns ``(out, r)`` from
  its forward, and its VJPs and JVP receive ``residual=r``: an intermediate of the forward
  pass (softmax probabilities, say) kept for the backward pass instead of recomputed.
  Under ``no_grad`` it is dropped at once.

Calling a primitive on tensors runs the forward pass and, when gradients are
being recorded and some input requires them, links the result to its inputs:
that link is one node of the computational graph that ``backward`` walks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mlplab.autograd.grad_mode import _GradMode
from mlplab.autograd.tensor import Tensor, as_tensor, next_sequence_number
from mlplab.backend import sum_rows, xp

VJP = Callable[..., Any]
JVP = Callable[..., Any]

REGISTRY: dict[str, Primitive] = {}
"""Every primitive by name: gradcheck and the parity tests walk this table."""


class ShapeError(ValueError):
    """Inputs whose shapes do not fit the operation (raised with both shapes named)."""


class Primitive:
    """One differentiable operation.

    Args:
        name: the op's name, shown in errors and in graph drawings.
        forward: ``f(*arrays, **params) -> array``.
        vjps: one VJP per input (``None`` for an input that takes no gradient,
            such as the condition of ``where``).
        jvp: the forward-mode rule, or ``None`` if forward mode is unsupported.
        explain: optional ``explain(*arrays, **params) -> str`` giving a precise
            message when the forward raises on incompatible shapes.
        residual: the forward returns ``(out, residual)``; the residual reaches the VJPs
            and the JVP as the keyword argument ``residual``.
    """

    __slots__ = ("name", "forward", "vjps", "jvp", "explain", "residual")

    def __init__(
        self,
        name: str,
        forward: Callable[..., Any],
        vjps: Sequence[VJP | None],
        jvp: JVP | None = None,
        explain: Callable[..., str] | None = None,
        residual: bool = False,
    ) -> None:
        if name in REGISTRY:
            raise RuntimeError(f"primitive {name!r} is defined twice")
        self.name = name
        self.forward = forward
        self.vjps = tuple(vjps)
        self.jvp = jvp
        self.explain = explain
        self.residual = residual
        REGISTRY[name] = self

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"

    def __call__(self, *inputs: Any, **params: Any):
        return apply(self, inputs, params)


def apply(prim: Primitive, inputs: Sequence[Any], params: dict[str, Any]):
    """Run ``prim`` on tensors; record the graph node when a gradient will be needed."""
    # Hot path (every op of every step): plain loops, no generators, one pass each.
    tensors = inputs
    for t in inputs:
        if not isinstance(t, Tensor):
            tensors = tuple(t if isinstance(t, Tensor) else as_tensor(t, inputs) for t in inputs)
            break
    try:
        out = prim.forward(*[t.data for t in tensors], **params)
    except ValueError as err:
        raise ShapeError(_explain(prim, tensors, params, err)) from None
    if prim.residual:
        out, residual = out
        params = {**params, "residual": residual}
    if type(out) is not xp.ndarray:
        out = xp.asarray(out)
    result = Tensor.__new__(Tensor)
    result.data = out
    result.grad = None
    result.name = None
    result._retain = False
    result._seq = next_sequence_number()
    if _GradMode.enabled:
        for t in tensors:
            if t.requires_grad:
                result.requires_grad = True
                result._prim = prim
                result._inputs = tuple(tensors)
                result._params = params
                return result
    result.requires_grad = False
    result._prim = None
    result._inputs = ()
    result._params = None
    return result


def _explain(prim: Primitive, tensors: Sequence[Any], params: dict[str, Any],
             err: Exception) -> str:
    arrays = [t.data for t in tensors]
    if prim.explain is not None:
        try:
            return prim.explain(*arrays, **params)
        except Exception:  # the explanation itself must never hide the real error
            pass
    shapes = " and ".join(str(tuple(a.shape)) for a in arrays)
    return f"{prim.name}: inputs of shapes {shapes} do not fit together ({err})"


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum a gradient back to an input's shape, undoing NumPy broadcasting.

    Broadcasting copies x along new leading axes and along axes of size 1; the
    chain rule adds up the gradient over every copy, so ∂L/∂x is the sum of g
    over those axes.
    """
    if grad.shape == shape:
        return grad
    if grad.ndim == 2 and len(shape) == 1 and grad.shape[1] == shape[0]:
        return sum_rows(grad)  # a bias added to every row: the common case, kept fast
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)
