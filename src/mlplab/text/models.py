"""The two text classifiers, as ordinary ``ml.nn`` modules on sparse TF-IDF rows.

Softmax regression (multi-class logistic regression: no hidden layer), for one text x:

    z = W x + b,    a = softmax(z),  a_i = e^{z_i} / Σ_j e^{z_j},    L = −Σ_i y_i log a_i

and for a batch, dZ = A − Y (divided by m through the mean loss) gives
dW = dZᵀ X, computed by ``F.linear`` straight from the sparse X.

The MLP adds one hidden layer with ReLU and dropout:

    a¹ = dropout(ReLU(W¹ x + b¹)),    a² = softmax(W² a¹ + b²)

Both output logits z; ``ml.nn.CrossEntropyLoss`` applies softmax + cross-entropy
as one stable primitive (log-sum-exp).

Shape:
    input (N, n_features) CSR float32 → logits (N, n_classes).
"""

from __future__ import annotations

from typing import Any

import mlplab.nn as nn
from mlplab.checks import unknown
from mlplab.runs.models import build_mlp

MODELS = ("softmax", "mlp")


def softmax_regression(n_features: int, n_classes: int, seed: Any = None) -> nn.Sequential:
    """z = W x + b: one ``Linear(n_features, n_classes)``, W and b starting at zero.

    The loss is convex in (W, b), so zero is a fine start (as for logistic regression);
    every class starts with probability 1/K.
    """
    return build_mlp(n_features, n_classes, [], init="zeros", seed=seed)


def text_mlp(n_features: int, n_classes: int, hidden: int = 64, dropout: float = 0.5,
             seed: Any = None) -> nn.Sequential:
    """Linear → ReLU → Dropout(p) → Linear: one hidden layer of ``hidden`` ReLU units.

    Defaults: 64 units keep W¹ (hidden × n_features) small enough for fast dense Adam
    updates on ~10⁵ TF-IDF columns; dropout p = 0.5 (Srivastava et al., 2014) because
    such a wide first layer overfits a few epochs in. PyTorch's default init (U(±1/√n_in)).
    Each layer draws from its own child of ``seed`` (``mlplab.runs.models.build_mlp``).
    """
    return build_mlp(n_features, n_classes, [hidden], "relu", None, dropout, seed=seed)


def build_model(kind: str, n_features: int, n_classes: int, hidden: int = 64,
                dropout: float = 0.5, seed: Any = None) -> nn.Sequential:
    """'softmax' → ``softmax_regression``; 'mlp' → ``text_mlp``."""
    if kind == "softmax":
        return softmax_regression(n_features, n_classes, seed=seed)
    if kind == "mlp":
        return text_mlp(n_features, n_classes, hidden=hidden, dropout=dropout, seed=seed)
    raise unknown("TextClassifier", "model", kind, MODELS)
