"""One optimizer step applied layer by layer, while the backward pass runs.

``optimizer.step()`` waits until every gradient exists, then walks the parameters. A
chain of layers produces its gradients last layer first, and once layer l's input
gradient dA^[l−1] = dZ^[l] W^[l] is computed, W^[l] is not read again in this step:
its update can happen right away, while dW^[l] is still in cache. The product
dW = dZᵀ A_prev need not even be stored when the rule can fold it into its own
arrays (``Optimizer.update_from_product``: SGD's velocity takes it in one GEMM).

The numbers are those of ``step()`` after the whole backward pass (the same rule on the
same gradient, in the same order per parameter), up to float rounding where the product
is folded. It applies only where nothing else wants the gradients between the backward
pass and the step: ``Trainer`` uses it when it steps with ``consume_grads=True``, clips
no gradient norm, and the optimizer keeps ``Optimizer``'s own ``step``.
"""

from __future__ import annotations

from typing import Any

from mlplab.backend import sum_rows, xp
from mlplab.blas import blas
from mlplab.optim.optimizer import Optimizer

# Below this many weights a product is formed with NumPy and the rule applied as usual: a
# BLAS call through ctypes costs a few µs of argument conversion, more than it saves on a
# small layer (2-8-8-1 tanh steps/s, benchmarks/autograd_overhead.py).
SMALLEST_FOLDED = 4096


class LayerwiseStep:
    """``begin(params)``; ``product(p, left, right)`` / ``row_sum(p, g)`` /
    ``gradient(p, g)`` per parameter as the backward pass reaches it; ``finish()`` —
    one ``optimizer.step`` (``abandon()`` instead when the backward pass fails)."""

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.blas = blas()
        self._grads: dict[Any, Any] = {}  # parameter → its reused gradient array
        self._where: dict[Any, int] = {}  # parameter → index of its group
        self._layout: tuple[Any, ...] = ()  # the groups _where was built from
        self._owned: tuple[Any, ...] | None = None  # params found all in _where
        self._groups: list[dict[str, Any]] = []
        self._lrs: list[float] = []

    @staticmethod
    def supports(optimizer: Any) -> bool:
        """True for an ``Optimizer`` whose step is the shared loop (not overridden)."""
        kind = type(optimizer)
        return (isinstance(optimizer, Optimizer) and kind.step is Optimizer.step
                and kind._update_all is Optimizer._update_all)

    def begin(self, params: tuple[Any, ...]) -> bool:
        """Resolve each group's learning rate for this step (as ``step`` does); False when
        some parameter of ``params`` is not the optimizer's (the caller then steps as usual)."""
        opt = self.optimizer
        groups = opt.param_groups
        layout = tuple((id(g), len(g["params"])) for g in groups)
        if layout != self._layout:
            self._where = {p: k for k, g in enumerate(groups) for p in g["params"]}
            self._layout, self._owned = layout, None
        if params is not self._owned:
            if not all(p in self._where for p in params):
                return False
            self._owned = params
        self._groups, self._lrs = groups, [opt.learning_rate(g) for g in groups]
        opt._lending_grads = True  # the gradients are this step's alone (scratch.py)
        return True

    def product(self, p: Any, left: Any, right: Any) -> None:
        """Update p, whose gradient is dW = leftᵀ·right (a Linear layer's weight)."""
        if self.blas is not None and p.data.size >= SMALLEST_FOLDED:
            k = self._where[p]
            if self.optimizer.update_from_product(p, left, right, self._groups[k],
                                                  self._lrs[k], self.blas):
                return
        grad = self._grads.get(p)
        if grad is None or grad.shape != p.data.shape or grad.dtype != p.data.dtype:
            grad = self._grads[p] = xp.empty_like(p.data)
        xp.matmul(left.T, right, out=grad)
        self.gradient(p, grad)

    def row_sum(self, p: Any, g: Any) -> None:
        """Update p, whose gradient is Σ_rows g (a Linear layer's bias)."""
        self.gradient(p, sum_rows(g))

    def gradient(self, p: Any, g: Any) -> None:
        """Update p with its gradient g (g may serve as the rule's scratch space)."""
        k = self._where[p]
        self.optimizer.update_one(p, g, self._groups[k], self._lrs[k])

    def finish(self) -> None:
        """The step is complete: count it and leave no gradient behind, as ``step`` with
        ``consume_grads=True`` does."""
        opt = self.optimizer
        opt._lending_grads = False
        opt.zero_grad()
        opt.step_count += 1

    def abandon(self) -> None:
        """The backward pass failed part-way: stop lending gradients; the step is not counted."""
        self.optimizer._lending_grads = False
