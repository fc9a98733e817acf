"""Temporary arrays for the update rules: the fast path of ``Optimizer``, kept apart.

An update rule such as Adam's needs a parameter-sized temporary or two at every
step (√Ŝ + ε, then v̂ divided by it). Allocating them fresh is correct but slow:
a large new array is new memory from the operating system, and its page faults
cost about as much as the update's arithmetic. ``ScratchSpace`` lends one flat
buffer per dtype instead (as large as the largest parameter), reused by every
parameter at every step.

When the caller says the gradients are no longer needed after the step
(``step(consume_grads=True)``, as ``Trainer`` does), the rule may borrow the
gradient array itself: it was just written by the backward pass, so it is still in
cache, where the shared buffer is not (about 4% of a training step on MNIST-sized
layers). The readable rule in ``optimizer.py`` does not depend on any of this:
``scratch(like)`` only decides where a temporary lives.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mlplab.backend import xp


class ScratchSpace:
    """Mixin of ``Optimizer``: ``scratch(like, spare)`` lends temporary arrays."""

    def __init__(self) -> None:
        self._buffers: dict[Any, Any] = {}  # dtype → flat buffer
        self._lending_grads = False  # inside step(consume_grads=True)

    def scratch(self, like: Any, spare: Any = None) -> Any:
        """A temporary array of ``like``'s shape and dtype, valid until the next call.

        ``spare`` is an array the update has finished reading (the gradient,
        typically); inside ``step(consume_grads=True)`` it is handed back as the
        temporary when its shape and dtype fit.
        """
        if (self._lending_grads and spare is not None and spare.shape == like.shape
                and spare.dtype == like.dtype and spare.flags.writeable):
            return spare
        buf = self._buffers.get(like.dtype)
        if buf is None or buf.size < like.size:
            buf = self._buffers[like.dtype] = xp.empty(like.size, dtype=like.dtype)
        return buf[:like.size].reshape(like.shape)

    @contextmanager
    def lending_grads(self, consume_grads: bool) -> Iterator[None]:
        """Within this block ``scratch(like, spare=g)`` may return g itself."""
        self._lending_grads = consume_grads
        try:
            yield
        finally:
            self._lending_grads = False
