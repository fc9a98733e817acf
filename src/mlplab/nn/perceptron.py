"""Rosenblatt's perceptron (1958): the single neuron every course on neural networks starts from.

    ŷ = step(w·x + b) = 1 if w·x + b > 0 else 0

Learning rule, one example at a time:  w := w + η (y − ŷ) x,   b := b + η (y − ŷ).
A mistake moves the boundary towards the misclassified example; a correct answer
changes nothing. On linearly separable data (AND, OR) it stops making mistakes after
finitely many updates (Novikoff's theorem); on XOR it never does — Minsky & Papert's
point, which needs a hidden layer (a multilayer perceptron) to overcome.
"""

from __future__ import annotations

from typing import Any

from mlplab import checks
from mlplab.backend import xp
from mlplab.checks import SeedLike


class Perceptron:
    """A single threshold unit trained with the perceptron rule (NumPy, no autograd).

    Args:
        lr: η, the learning rate (default 1).
        max_epochs: passes over the data before giving up (default 100).
        shuffle: visit the examples in a fresh random order each epoch.
        seed: int, Generator or None, for the order (weights start at 0).

    Attributes (after ``fit``): ``weight`` (n_features,), ``bias``, ``errors_`` (mistakes
    per epoch), ``converged_`` (an epoch with no mistake was reached).

    >>> import numpy as np
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); y = np.array([0, 1, 1, 1])  # OR
    >>> Perceptron().fit(X, y).predict(X).tolist()
    [0, 1, 1, 1]
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = False,
                 seed: SeedLike = None) -> None:
        self.lr = checks.check_number(lr, "lr", "Perceptron", low=0.0, closed="right")
        self.max_epochs = checks.check_positive_int(max_epochs, "max_epochs", "Perceptron")
        self.shuffle = shuffle
        self.seed = seed

    def fit(self, X: Any, y: Any) -> Perceptron:
        X = xp.asarray(X, dtype=xp.float64)
        y = xp.asarray(y)
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(f"Perceptron.fit: expected X of shape (n, d) and y of shape (n,), "
                             f"got {X.shape} and {y.shape}")
        if not xp.all((y == 0) | (y == 1)):
            raise ValueError("Perceptron.fit: labels must be 0 or 1")
        rng = checks.as_generator(self.seed)
        self.weight = xp.zeros(X.shape[1])
        self.bias = 0.0
        self.errors_: list[int] = []
        self.converged_ = False
        for _ in range(self.max_epochs):
            order = rng.permutation(len(X)) if self.shuffle else range(len(X))
            mistakes = 0
            for i in order:
                error = float(y[i]) - self._step(X[i])  # y − ŷ ∈ {−1, 0, 1}
                if error:
                    self.weight += self.lr * error * X[i]
                    self.bias += self.lr * error
                    mistakes += 1
            self.errors_.append(mistakes)
            if mistakes == 0:
                self.converged_ = True
                break
        return self

    def _step(self, x: Any) -> float:
        return 1.0 if float(x @ self.weight) + self.bias > 0 else 0.0

    def decision_function(self, X: Any) -> Any:
        """w·x + b for each row of X."""
        return xp.asarray(X, dtype=xp.float64) @ self.weight + self.bias

    def predict(self, X: Any) -> Any:
        """ŷ = step(w·x + b) ∈ {0, 1} for each row of X."""
        return (self.decision_function(X) > 0).astype(xp.int64)
