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
    """Tensors of the graph under ``roots`` that require grad, inputs before outputs.

    Depth-first search with an explicit stack of (node, iterator over its inputs):
    a node is emitted once all its inputs have been, and each node is pushed once.
    """
    order: list[Tensor] = []
    visited: set[int] = set()
    for root in roots:
        if id(root) in visited:
            continue
        visited.add(id(root))
        stack = [(root, iter(root._inputs))]
        while stack:
            node, parents = stack[-1]
            for parent in parents:
                if parent.requires_grad and id(parent) not in visited:
                    visited.add(id(parent))
                    stack.append((parent, iter(parent._inputs)))
                    break
            else:
                stack.pop()
                order.append(node)
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
    first = _initial_grad(root, grad)
    grads: dict[int, Any] = {id(root): first}
    # arrays (and bases of views) already handed to some .grad, or owned by the caller
    stored: set[int] = {id(first)} if first.base is None else {id(first), id(first.base)}
    for node in reversed(topological_order(root)):  # outputs before inputs
        g = grads.pop(id(node), None)  # ∂root/∂node, complete: every consumer was visited
        if g is None:
            continue
        prim = node._prim
        if prim is None or node._retain:
            _store_grad(node, g, stored)
            if prim is None:  # a leaf: nothing further back
                continue
        inputs = node._inputs
        arrays = [t.data for t in inputs]
        params = node._params
        for k, parent in enumerate(inputs):
            if not parent.requires_grad:
                continue
            vjp = prim.vjps[k]
            if vjp is None:
                raise RuntimeError(
                    f"{prim.name}: input {k} has no gradient rule, so it cannot require "
                    "grad; pass it as a constant (detach() it)"
                )
            # chain rule: ∂root/∂parent += g · ∂node/∂parent (a tensor used twice adds up)
            contribution = vjp(g, node.data, *arrays, **params)
            previous = grads.get(id(parent))
            grads[id(parent)] = contribution if previous is None else previous + contribution


def _owned(g: Any, stored: set[int]) -> bool:
    """May g become a .grad as is? Yes if writeable and shared with no stored .grad.

    A view qualifies only when it covers all of a base that owns its memory (e.g. the
    transpose of a fresh matmul result); partial views and broadcasts are copied.
    """
    if id(g) in stored or not g.flags.writeable:
        return False
    base = g.base
    return base is None or (type(base) is xp.ndarray and base.base is None
                            and base.size == g.size and id(base) not in stored)


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
    elif not _owned(g, stored):
        g = g.copy()
    stored.add(id(g))
    if g.base is not None:
        stored.add(id(g.base))
    node.grad = g
