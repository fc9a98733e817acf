"""The confusion matrix summed per class: TP_c, the predicted count and the support."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from mlplab.train.metrics.labels import true_and_predicted


class ConfusionCounts(NamedTuple):
    """Per-class sums of the confusion matrix C, each of length K (no K × K needed)."""

    tp: np.ndarray  # TP_c = C[c, c]
    predicted: np.ndarray  # Σ_i C[i, c]
    support: np.ndarray  # Σ_j C[c, j]

    @classmethod
    def of(cls, y_true: Any, y_score: Any, min_classes: int = 0) -> ConfusionCounts:
        t, p, k = true_and_predicted(y_true, y_score, min_classes)
        return cls(np.bincount(t[t == p], minlength=k), np.bincount(p, minlength=k),
                   np.bincount(t, minlength=k))

    @classmethod
    def from_matrix(cls, matrix: np.ndarray) -> ConfusionCounts:
        """The sums of a K × K confusion matrix C[true, predicted] (e.g. added up over
        chunks of a file too large to hold its predictions)."""
        matrix = np.asarray(matrix)
        return cls(np.diag(matrix).copy(), matrix.sum(axis=0), matrix.sum(axis=1))

    def accuracy(self) -> float:
        return float(self.tp.sum() / self.support.sum())

    def present(self) -> np.ndarray:
        """Classes that occur in y_true or in the predictions."""
        return (self.predicted + self.support) > 0

    def scores(self, zero_division: float) -> tuple[np.ndarray, ...]:
        """Per-class precision, recall and F1."""
        tp = self.tp.astype(np.float64)
        return (_ratio(tp, self.predicted, zero_division), _ratio(tp, self.support, zero_division),
                _ratio(2 * tp, self.predicted + self.support, zero_division))


def _ratio(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    out = np.full(num.shape, float(zero_division))
    np.divide(num, den, out=out, where=den > 0)
    return out
