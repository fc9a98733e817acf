"""What kind of problem a loss defines, and how raw outputs become predictions.

The Trainer never asks the user "is this classification?": the loss says it.
Cross-entropy, NLL and multi-class hinge mean K-class classification; BCE and
binary hinge mean two classes; everything else is regression.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


class Task:
    """Regression: outputs are the predictions."""

    kind = "regression"
    is_classifier = False

    def predict(self, outputs: np.ndarray) -> np.ndarray:
        return outputs[:, 0] if outputs.ndim == 2 and outputs.shape[1] == 1 else outputs

    def proba(self, outputs: np.ndarray) -> np.ndarray:
        raise TypeError(
            "predict_proba: this model was trained with a regression loss, so it gives no "
            "class probabilities; use predict()"
        )

    def scores(self, outputs: np.ndarray) -> np.ndarray:
        """What metrics receive: probabilities for classifiers, values for regression."""
        return self.predict(outputs)


class MultiClass(Task):
    """K outputs per example; ``activation`` maps them to probabilities."""

    kind = "multiclass"
    is_classifier = True

    def __init__(self, activation: str) -> None:
        self.activation = activation  # 'softmax' (logits), 'exp' (log-probs) or 'none' (scores)

    def proba(self, outputs: np.ndarray) -> np.ndarray:
        if self.activation == "softmax":
            return _softmax(outputs)
        if self.activation == "exp":
            return np.exp(outputs)
        raise TypeError(
            "predict_proba: a margin (hinge) loss gives scores, not probabilities; use "
            "predict() for classes, or train with CrossEntropyLoss for probabilities"
        )

    def predict(self, outputs: np.ndarray) -> np.ndarray:
        return outputs.argmax(axis=1)

    def scores(self, outputs: np.ndarray) -> np.ndarray:
        return self.proba(outputs) if self.activation != "none" else self.predict(outputs)


class Binary(Task):
    """One output per example: a logit, a probability, or a ±1 margin score."""

    kind = "binary"
    is_classifier = True

    def __init__(self, activation: str) -> None:
        self.activation = activation  # 'sigmoid' (logits), 'none' (probabilities), 'margin'

    def _positive(self, outputs: np.ndarray) -> np.ndarray:
        z = outputs.reshape(len(outputs), -1)[:, 0]
        if self.activation == "sigmoid":
            return _sigmoid(z)
        if self.activation == "none":
            return z
        raise TypeError(
            "predict_proba: a hinge loss gives margins, not probabilities; use predict(), or "
            "train with BCEWithLogitsLoss for probabilities"
        )

    def proba(self, outputs: np.ndarray) -> np.ndarray:
        p = self._positive(outputs)
        return np.stack([1 - p, p], axis=1)

    def predict(self, outputs: np.ndarray) -> np.ndarray:
        z = outputs.reshape(len(outputs), -1)[:, 0]
        threshold = 0.5 if self.activation == "none" else 0.0
        return (z > threshold).astype(np.int64)

    def scores(self, outputs: np.ndarray) -> np.ndarray:
        if self.activation == "margin":
            return self.predict(outputs)
        return self._positive(outputs)


def task_for_loss(loss: Any) -> Task:
    """The task a loss module implies (by its class name, so user subclasses work too)."""
    names = {cls.__name__ for cls in type(loss).__mro__}
    if "CrossEntropyLoss" in names:
        return MultiClass("softmax")
    if "NLLLoss" in names:
        return MultiClass("exp")
    if "MultiMarginLoss" in names:
        return MultiClass("none")
    if "BCEWithLogitsLoss" in names:
        return Binary("sigmoid")
    if "BCELoss" in names:
        return Binary("none")
    if "HingeLoss" in names:
        return Binary("margin")
    return Task()
