"""Reverse mode: walk the recorded graph backwards, applying the chain rule at each node.

For a node z = f(x₁, …, xₙ) with upstream gradient g = ∂L/∂z the chain rule gives
∂L/∂x_k = vjp_k(g) = g · ∂z/∂x_k; a tensor used by several nodes receives the sum
of their contributions. The sweep is iterative (no recursion), so a chain of tens
of thousands of operations back-propagates as easily as a short one.

Order of the sweep: a node may pass its gradient on only once it is complete, i.e.
after every consumer has added its share. Consumers are always created after their
inputs, so visiting the reachable nodes latest-created first (a max-heap on the
creation number) guarantees that, without building a topological order first.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import Any

from mlplab.autograd.grad_buffers import handed_out, store_grad
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
    pending: dict[Tensor, Any] = {root: first}  # ∂root/∂node, summed so far (identity keys)
    heap = [(-root._seq, root)]
    stored = handed_out(first)  # arrays a .grad may not take over (see grad_buffers)
    while heap:
        node = heappop(heap)[1]  # the latest-created pending node: its gradient is complete
        g = pending.pop(node)
        prim = node._prim
        if prim is None or node._retain:
            store_grad(node, g, stored)
            if prim is None:  # a leaf: nothing further back
                continue
        inputs = node._inputs
        arrays = [t.data for t in inputs]
        params = node._params
        vjps = prim.vjps
        out = node.data
        for k, parent in enumerate(inputs):
            if not parent.requires_grad:
                continue
            vjp = vjps[k]
            if vjp is None:
                raise RuntimeError(
                    f"{prim.name}: input {k} has no gradient rule, so it cannot require "
                    "grad; pass it as a constant (detach() it)"
                )
            # chain rule: ∂root/∂parent += g · ∂node/∂parent (a tensor used twice adds up)
            contribution = vjp(g, out, *arrays, **params)
            previous = pending.get(parent)
            if previous is None:
                pending[parent] = contribution
                heappush(heap, (-parent._seq, parent))
            else:
                pending[parent] = previous + contribution
