"""What an estimator minimizes: the output activation, its loss, and the weight penalty.

The cost of a batch B with sample weights w (all 1 by default) is scikit-learn's::

    J = Σ_{n∈B} w_n ℓ_n / Σ_{n∈B} w_n  +  (α/2 ‖W‖² + λ₁ ‖W‖₁) / Σ_{n∈B} w_n

where ‖W‖ runs over the weight matrices only (never the biases), α is ``alpha``, λ₁
is ``l1`` and ℓ_n the loss of example n for the output activation ``out_activation_``:

=========  ==================================  ==================================
output     prediction from the last z          ℓ_n
=========  ==================================  ==================================
softmax    p = softmax(z)                      −log p_{y_n}     (cross-entropy)
logistic   p = σ(z), one per output            −Σ_k [y log p + (1−y) log(1−p)]
identity   ŷ = z                               ½ · mean_k (ŷ_k − y_k)²
exp        ŷ = exp(z)  (``loss='poisson'``)    Σ_k (exp(z_k) − y_k z_k)
=========  ==================================  ==================================

Each loss is computed from z directly (log-sum-exp, softplus), never from p, so
that it stays finite; the gradient is the textbook dZ = w · (A − Y) / Σw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.autograd.tensor import Tensor
from mlplab.nn import functional as F


def example_losses(out_activation: str, z: Tensor, y: Any) -> Tensor:
    """ℓ_n for each example of the batch: shape (N,)."""
    if out_activation == "softmax":
        return F.cross_entropy(z, y, reduction="none")
    if out_activation == "logistic":
        return F.binary_cross_entropy_with_logits(z, y, reduction="none").sum(axis=1)
    if out_activation == "exp":
        return (z.exp() - z * y).sum(axis=1)
    return F.mse_loss(z, y, reduction="none").mean(axis=1) * 0.5


def data_loss(out_activation: str, z: Tensor, y: Any, w: Any | None) -> Tensor:
    """Σ w_n ℓ_n / Σ w_n, with fused reductions when there are no sample weights."""
    if w is None:
        if out_activation == "softmax":
            return F.cross_entropy(z, y)
        if out_activation == "logistic":
            return F.binary_cross_entropy_with_logits(z, y, reduction="sum") * (1.0 / len(y))
        if out_activation == "identity":
            return F.mse_loss(z, y) * 0.5
        return example_losses(out_activation, z, y).mean()
    return (example_losses(out_activation, z, y) * w).sum() * (1.0 / float(w.sum()))


def add_penalty_gradients(weights: list[Any], alpha: float, l1: float, scale: float) -> float:
    """Add ∂/∂W of (α/2 ‖W‖² + λ₁‖W‖₁)·scale to each ``W.grad``; return the penalty.

    Done outside the graph: the gradient is αW + λ₁ sign(W) times ``scale`` = 1/Σw.
    """
    penalty = 0.0
    for w in weights:
        data = w.data
        if alpha:
            penalty += 0.5 * alpha * float(np.dot(data.ravel(), data.ravel()))
            w.grad += (alpha * scale) * data
        if l1:
            penalty += l1 * float(np.abs(data).sum())
            w.grad += (l1 * scale) * np.sign(data)
    return penalty * scale


def outputs(out_activation: str, z: np.ndarray) -> np.ndarray:
    """The prediction from the last layer's z: probabilities or values."""
    if out_activation == "softmax":
        z = z - z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z
    if out_activation == "logistic":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z) without overflow warnings
    if out_activation == "exp":
        return np.exp(z)
    return z
