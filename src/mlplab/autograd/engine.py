"""Reverse mode: walk the recorded graph backwards, applying the chain rule at each node.

For a node z = f(x₁, …, xₙ) with upstream gradient g = ∂L/∂z the chain rule gives
∂L/∂x_k = vjp_k(g) = g · ∂z/∂x_k; a tensor used by several nodes receives the sum
of their contributions. The sweep is iterative (no recursion), so a chain of tens
of thousands of operations back-propagates as easily as a short one.
"""

from __future__ import annotations

from typing import Any

from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp


def topological_order(*roots: Tensor) -> list[Tensor]:
    """Tensors of the graph under ``roots`` that require grad, inputs before outputs."""
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for parent in node._inputs:
            if parent.requires_grad and id(parent) not in visited:
                stack.append((parent, False))
    return order


def _initial_grad(root: Tensor, grad: Any) -> Any:
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward() on a tensor of shape {root.shape} needs grad=: pass an array of "
                "that shape (the upstream gradient, often ones), or reduce the tensor to a "
                "scalar first, e.g. loss.sum() or loss.mean()"
            )
        return xp.ones_like(root.data)
    grad = xp.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=root.data.dtype)
    if grad.shape != root.shape:
        raise ValueError(
            f"backward(grad=...): grad has shape {grad.shape} but the tensor has shape "
            f"{root.shape}; pass a gradient of the same shape"
        )
    return grad


def backward(root: Tensor, grad: Any = None) -> None:
    """Accumulate ∂root/∂leaf (times ``grad``) into ``.grad`` of every leaf requiring grad."""
    if not root.requires_grad:
        raise RuntimeError(
            "backward(): this tensor does not require grad, so no graph was recorded; create "
            "the inputs with requires_grad=True and do not compute it under no_grad()"
        )
    grads: dict[int, Any] = {id(root): _initial_grad(root, grad)}
    stored: set[int] = {id(grads[id(root)])}  # arrays already handed to some .grad
    for node in reversed(topological_order(root)):
        g = grads.pop(id(node), None)
        if g is None:
            continue
        if node._prim is None or node._retain:
            _store_grad(node, g, stored)
        if node._prim is None:
            continue
        arrays = [t.data for t in node._inputs]
        vjps = node._prim.vjps
        for k, parent in enumerate(node._inputs):
            if not parent.requires_grad:
                continue
            vjp = vjps[k]
            if vjp is None:
                raise RuntimeError(
                    f"{node._prim.name}: input {k} has no gradient rule, so it cannot require "
                    "grad; pass it as a constant (detach() it)"
                )
            contribution = vjp(g, node.data, *arrays, **node._params)
            key = id(parent)
            previous = grads.get(key)
            grads[key] = contribution if previous is None else previous + contribution


def _store_grad(node: Tensor, g: Any, stored: set[int]) -> None:
    """Add g into node.grad, making sure every .grad owns its memory (safe for in-place use)."""
    if type(g) is not xp.ndarray:
        g = xp.asarray(g)
    if g.shape != node.data.shape:  # a VJP bug, never a user error
        raise RuntimeError(
            f"internal error: gradient of shape {g.shape} for a tensor of shape {node.shape}"
        )
    if node.grad is not None:
        node.grad += g
        return
    if g.dtype != node.data.dtype:
        g = g.astype(node.data.dtype)
    elif g.base is not None or not g.flags.writeable or id(g) in stored:
        g = g.copy()
    stored.add(id(g))
    node.grad = g
