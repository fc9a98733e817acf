"""Who owns each ``.grad`` array: the fast path of the backward sweep, kept apart.

The readable rule is in ``engine.py``: ``leaf.grad += ∂root/∂leaf``. This module
makes that rule cheap without making it unsafe. A VJP often returns an array it
just allocated (g @ W, say); storing that array as ``.grad`` without a copy saves
one parameter-sized copy per parameter per step. But some VJPs return an array
that is also used elsewhere: the upstream gradient passed straight through (add,
reshape), a view of another gradient, a read-only broadcast, or the ``grad=``
array the caller gave to ``backward``. A ``.grad`` is changed in place later
(the next ``backward`` adds into it with ``+=``; ``Optimizer.step(consume_grads=True)``
uses it as scratch space), so two ``.grad`` sharing memory would corrupt each
other, and the caller's array would change under it.

So every array handed to a ``.grad`` is remembered (by id) during one sweep, and
an array is stored as is only when it is writeable and shares memory with
nothing handed out before; anything else is copied.
"""

from __future__ import annotations

from typing import Any

from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp


def handed_out(first: Any) -> set[int]:
    """The ids the sweep starts with: the caller's own ``grad=`` array (and its base)."""
    return {id(first)} if first.base is None else {id(first), id(first.base)}


def owns_memory(g: Any, stored: set[int]) -> bool:
    """May g become a .grad as is? Yes if writeable and shared with no stored .grad.

    A view qualifies only when it covers all of a base that owns its memory (e.g. the
    transpose of a fresh matmul result); partial views and broadcasts are copied.
    """
    if id(g) in stored or not g.flags.writeable:
        return False
    base = g.base
    return base is None or (type(base) is xp.ndarray and base.base is None
                            and base.size == g.size and id(base) not in stored)


def store_grad(node: Tensor, g: Any, stored: set[int]) -> None:
    """Add g into node.grad, making sure every .grad owns its memory (safe for in-place use)."""
    if type(g) is not xp.ndarray:
        g = xp.asarray(g)
    data = node.data
    if g.shape != data.shape:  # a VJP bug, never a user error
        raise RuntimeError(
            f"internal error: gradient of shape {g.shape} for a tensor of shape {node.shape}"
        )
    if node.grad is not None:
        node.grad += g
        return
    base = g.base
    if g.dtype != data.dtype:
        g = g.astype(data.dtype)
        base = None
    elif not (base is None and g.flags.writeable and id(g) not in stored) and not owns_memory(
            g, stored):  # the common case, a fresh array, skips the full check
        g = g.copy()
        base = None
    stored.add(id(g))
    if base is not None:
        stored.add(id(base))
    node.grad = g
