"""Loss modules: ``loss_fn(input, target)`` with ``reduction`` 'mean' | 'sum' | 'none'.

Thin wrappers over ``ml.nn.functional``; the formulas live in the docstrings
there and in ``docs/losses.md``. Argument order is PyTorch's: prediction first.
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.autograd.tensor import Tensor
from mlplab.backend import get_default_dtype, xp
from mlplab.nn import functional as F
from mlplab.nn.functional.loss import REDUCTION
from mlplab.nn.module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = checks.check(type(self).__name__, "reduction", reduction, REDUCTION)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class _WeightedLoss(_Loss):
    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        if weight is not None:
            weight = xp.asarray(weight.data if isinstance(weight, Tensor) else weight)
            if weight.dtype.kind != "f":
                weight = weight.astype(get_default_dtype())
        self.register_buffer("weight", weight)


class L1Loss(_Loss):
    """Mean absolute error (MAE): ℓ = |x − y|. Robust to outliers, slow near the optimum
    (its gradient is ±1 however small the error)."""

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error: ℓ = (x − y)². Converges fast, but outliers dominate it.

    Note: PyTorch's (and this) MSE has no ½; the textbook C = ½‖y − h‖² is ½ of the
    'sum' reduction.

    >>> import mlplab as ml
    >>> float(ml.nn.MSELoss()(ml.tensor([1.0, 2.0]), ml.tensor([0.0, 0.0])))
    2.5
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Huber loss: ℓ = ½d² if |d| ≤ δ else δ|d| − ½δ², d = x − y (``delta`` = δ, default 1).

    Quadratic (MSE-like, fast) near 0 and linear (MAE-like, robust) beyond δ."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = checks.check_number(delta, "delta", "HuberLoss", low=0.0, closed="right")

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)

    def extra_repr(self) -> str:
        return f"delta={self.delta}" + (f", {super().extra_repr()}" if super().extra_repr() else "")


class HingeLoss(_Loss):
    """Binary hinge loss, the textbook ℓ = max(0, 1 − y·f(x)) (SVM's loss).

    ``input`` are raw scores f(x); labels y are ±1, or {0, 1} with 0 as the negative
    class. The loss is 0 once the example is on the right side with margin ≥ ``margin``.
    PyTorch has no exact twin (its HingeEmbeddingLoss is a different loss)."""

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = checks.check_number(margin, "margin", "HingeLoss")

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.hinge_loss(input, target, margin=self.margin, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss, the textbook ℓ = Σ_{i≠t} max(0, f_i − f_t + margin)^p.

    The correct class's score f_t must beat every other by ``margin``. By default this
    is the plain sum; PyTorch's ``MultiMarginLoss`` divides it by the number of
    classes C — pass ``average_over_classes=True`` to match PyTorch exactly.
    ``weight`` (C,) scales the loss of an example of class t by w_t.

    Shape: input (N, C) scores, target (N,) class indices."""

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Any = None,
                 reduction: str = "mean", average_over_classes: bool = False) -> None:
        super().__init__(weight, reduction)
        if p not in (1, 2):
            raise ValueError(f"MultiMarginLoss: p must be 1 or 2, got {p!r}")
        self.p = p
        self.margin = checks.check_number(margin, "margin", "MultiMarginLoss")
        self.average_over_classes = bool(average_over_classes)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin,
                                   weight=self.weight, reduction=self.reduction,
                                   average_over_classes=self.average_over_classes)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities, the textbook −t log y − (1 − t) log(1 − y).

    ``input`` must be probabilities (after a Sigmoid); BCEWithLogitsLoss on the raw
    scores is the stable choice. ``weight`` rescales each element's loss."""

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    """Sigmoid + binary cross-entropy fused on logits z: stable for any z, and its
    gradient is the textbook dZ = A − Y = σ(z) − y.

    ``pos_weight`` p multiplies the positive term: ℓ = −[p·y log σ(z) + (1 − y) log(1 − σ(z))]."""

    def __init__(self, weight: Any = None, reduction: str = "mean",
                 pos_weight: Any = None) -> None:
        super().__init__(weight, reduction)
        if pos_weight is not None:
            pos_weight = xp.asarray(pos_weight.data if isinstance(pos_weight, Tensor)
                                    else pos_weight, dtype=get_default_dtype())
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, weight=self.weight,
                                                  reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class CrossEntropyLoss(_WeightedLoss):
    """Softmax + cross-entropy on logits, the textbook L = −Σ_i t_i log y_i, y = softmax(z).

    Computed through log-softmax (never log(softmax)) as one fused step whose gradient
    is the textbook dZ = A − Y. Targets are class indices (integers, shape (N,)) or class
    probabilities (shape (N, C)).

    Args:
        weight: per-class weights (C,); with class indices, 'mean' divides by Σ w_{t_n}.
        reduction: 'mean' | 'sum' | 'none'.
        label_smoothing: ε in [0, 1]; the target becomes (1 − ε)·target + ε/C.

    Shape: input (N, C) logits; target (N,) int64 or (N, C) float.

    >>> import mlplab as ml, numpy as np
    >>> z = ml.tensor([[2.0, 0.0, 0.0]], dtype="float64", requires_grad=True)
    >>> loss = ml.nn.CrossEntropyLoss()(z, np.array([0]))
    >>> round(float(loss), 4), z.grad is None
    (0.2395, True)
    >>> loss.backward(); z.grad.round(4).tolist()   # A − Y
    [[-0.213, 0.1065, 0.1065]]
    """

    def __init__(self, weight: Any = None, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(weight, reduction)
        self.label_smoothing = checks.check_number(label_smoothing, "label_smoothing",
                                            "CrossEntropyLoss", low=0.0, high=1.0)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.cross_entropy(input, target, weight=self.weight, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities: ℓ_n = −w_{t_n} · input[n, t_n].

    ``LogSoftmax`` + ``NLLLoss`` equals ``CrossEntropyLoss``. Shape: input (N, C), target (N,)."""

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.nll_loss(input, target, weight=self.weight, reduction=self.reduction)
