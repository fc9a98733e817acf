"""The losses a training plan knows: each loss's value and ∂J/∂A_L, on raw arrays.

For outputs A (N rows) and targets Y, with mean reduction and n = A.size elements:

* ``MSELoss``:  J = (1/n) Σ (A − Y)²,  ∂J/∂A = (1/n)(A − Y) + (1/n)(A − Y)  (the two
  factors of d·d each contribute, as the engine adds them);
* ``BCEWithLogitsLoss``:  J = (1/n) Σ (1 − Y) Z + log(1 + e^(−Z)),  ∂J/∂Z = (1/n)(σ(Z) − Y);
* ``BCELoss``:  J = −(1/n) Σ Y log A + (1 − Y) log(1 − A),
  ∂J/∂A = (1/n)(A − Y)/max(A(1 − A), 10⁻¹²);
* ``CrossEntropyLoss`` (class indices t):  J = (1/N) Σ_n log Σ_j e^(Z_nj) − Z_(n,t_n),
  ∂J/∂Z = (softmax(Z) − onehot(t))/N.

Each head calls the forward and VJP functions of the primitives the loss module is
built from, in the engine's order, so its values are the plain path's bit for bit. Two
shortcuts give the same bits with fewer operations (each argued where it is made): the
mean's VJP hands on the scalar 1/n instead of an array filled with it, and MSE's two
equal contributions g·d are one product doubled. A head is *plain*
while its loss module has mean reduction and no weight, pos_weight or label smoothing;
otherwise the plan is not used.
"""

from __future__ import annotations

from typing import Any

from mlplab.autograd.primitive import REGISTRY
from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp
from mlplab.nn import functional as F
from mlplab.nn.functional.cross_entropy import class_targets
from mlplab.nn.loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss

_mean = REGISTRY["mean"]
_sub = REGISTRY["sub"]


def _plain(loss: Any, *buffers: str) -> bool:
    """Mean reduction, no forward hooks, and the named buffers unset."""
    return (loss.reduction == "mean" and not loss._forward_hooks
            and all(loss._buffers.get(name) is None for name in buffers))


def _same_shape(out: Any, target: Any) -> bool:
    """A target array of the outputs' shape (cast to their dtype like ``pair`` does)."""
    return type(target) is xp.ndarray and target.shape == out.shape


def _mean_grad(elements: Any) -> Any:
    """∂J/∂(each element) of J = mean(elements): the scalar 1/n.

    The engine seeds 1 and the mean's VJP spreads 1/n into an array of the elements'
    shape; every VJP after it multiplies elementwise, so the scalar gives the same
    products, bit for bit, without making that array.
    """
    kind = elements.dtype.type
    return kind(1) / kind(elements.size)


class _Head:
    """Saved arrays of one step: the outputs, the targets and the per-element losses."""

    __slots__ = ("out", "target", "elements", "value")

    # True when a finite loss J implies finite outputs A, so the step need not check A
    # again (the loss is checked anyway). Not so for cross-entropy: a logit of −inf
    # in a class that is not the target leaves J finite.
    finite_loss_means_finite_outputs = False

    def finish(self, out: Any, target: Any, elements: Any) -> float:
        self.out, self.target, self.elements = out, target, elements
        self.value = _mean.forward(elements)
        return float(self.value)


class MSEHead(_Head):
    """d = A − Y, J = mean(d · d)."""

    __slots__ = ("d",)
    # an A of ±inf or NaN makes its d² +inf or NaN, and so J: a finite J has finite A
    finite_loss_means_finite_outputs = True

    def plain(self, loss: Any) -> bool:
        return _plain(loss)

    def takes(self, out: Any, target: Any) -> bool:
        return _same_shape(out, target)

    def forward(self, out: Any, target: Any) -> float:
        if target.dtype != out.dtype:
            target = target.astype(out.dtype)
        d = _sub.forward(out, target)
        self.d = d
        return self.finish(out, target, d * d)  # the mul primitive's forward

    def backward(self) -> Any:
        # d · d: each factor's VJP contributes g·d and the engine adds the two; g·d + g·d
        # is exactly 2·(g·d), so one product doubled in place is the same array.
        # Then ∂(A − Y)/∂A = 1 passes it on unchanged.
        dd = self.d * _mean_grad(self.elements)
        dd += dd
        return dd


class BCEWithLogitsHead(_Head):
    """J = mean((1 − Y) Z + log(1 + e^(−Z))) on logits Z."""

    op = REGISTRY["binary_cross_entropy_with_logits"]

    def plain(self, loss: Any) -> bool:
        return _plain(loss, "weight", "pos_weight")

    def takes(self, out: Any, target: Any) -> bool:
        return _same_shape(out, target)

    def forward(self, out: Any, target: Any) -> float:
        if target.dtype != out.dtype:
            target = target.astype(out.dtype)
        return self.finish(out, target, self.op.forward(out, target, pos_weight=None))

    def backward(self) -> Any:
        g = _mean_grad(self.elements)
        return self.op.vjps[0](g, self.elements, self.out, self.target, pos_weight=None)


class BCEHead(_Head):
    """J = −mean(Y log A + (1 − Y) log(1 − A)) on probabilities A."""

    op = REGISTRY["binary_cross_entropy"]

    def plain(self, loss: Any) -> bool:
        return _plain(loss, "weight")

    def takes(self, out: Any, target: Any) -> bool:
        return _same_shape(out, target)

    def forward(self, out: Any, target: Any) -> float:
        if out.size and (out.min() < 0 or out.max() > 1):
            F.binary_cross_entropy(Tensor(out), target)  # raises the plain path's error
        if target.dtype != out.dtype:
            target = target.astype(out.dtype)
        return self.finish(out, target, self.op.forward(out, target))

    def backward(self) -> Any:
        g = _mean_grad(self.elements)
        return self.op.vjps[0](g, self.elements, self.out, self.target)


class CrossEntropyHead(_Head):
    """Softmax + cross-entropy on logits Z with class indices (the fused primitive)."""

    op = REGISTRY["softmax_cross_entropy_index"]

    def plain(self, loss: Any) -> bool:
        return _plain(loss, "weight") and not loss.label_smoothing

    def takes(self, out: Any, target: Any) -> bool:
        # soft (probability) targets take the plain path
        return type(target) is xp.ndarray and target.dtype.kind in "iu" and out.ndim == 2

    def forward(self, out: Any, target: Any) -> float:
        target = class_targets(target, out.shape, "cross_entropy")  # the plain path's checks
        value, residual = self.op.forward(out, target=target, reduction="mean")
        self.out, self.target, self.elements = out, target, residual
        self.value = xp.asarray(value)
        return float(self.value)

    def backward(self) -> Any:
        g = xp.ones_like(self.value)
        return self.op.vjps[0](g, self.value, self.out, target=self.target, reduction="mean",
                               residual=self.elements)


LOSSES: dict[type, type] = {MSELoss: MSEHead, BCEWithLogitsLoss: BCEWithLogitsHead,
                            BCELoss: BCEHead, CrossEntropyLoss: CrossEntropyHead}
"""Loss module type → its head: the losses a training plan can differentiate by hand."""
