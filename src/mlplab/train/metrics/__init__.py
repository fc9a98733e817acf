"""Metrics: how good are the predictions? Pure NumPy, one call per evaluation.

Every metric has the shape ``fn(y_true, y_score) -> float`` (per-class variants
and the confusion matrix return arrays):

- ``y_true``: class ids, shape (n,) or (n, 1) (one-hot rows (n, C) are accepted
  too), or real targets for the regression metrics;
- ``y_score``: what the model produced — per-class scores or probabilities
  (n, C) (the prediction is ŷ = argmax_c y_score[:, c]); the probability of the
  positive class for a binary model, (n,) or (n, 1) (ŷ = 1 when p > 0.5, the
  usual rule for logistic regression); predicted class ids; or, for
  regression, the predicted values.

Classification metrics are read off the confusion matrix C (rows: true class,
columns: predicted class). For class c, with TP_c = C[c, c]:

    precision_c = TP_c / Σ_i C[i, c]     (of the samples predicted c, how many are c)
    recall_c    = TP_c / Σ_j C[c, j]     (of the samples that are c, how many were found)
    F1_c        = 2 P_c R_c / (P_c + R_c) = 2 TP_c / (Σ_i C[i, c] + Σ_j C[c, j])

A ratio with a zero denominator (a class never predicted) is ``zero_division``
(0.0), silently. ``average`` combines the classes as scikit-learn does:
'macro' is the plain mean over the classes that occur in y_true or in the
predictions, 'weighted' weighs each class by its support (its count in y_true),
'micro' pools the counts (equal to accuracy for single-label data), 'binary' is
class 1 alone, and None returns one value per class id.

>>> accuracy([0, 1, 1, 0], [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3], [0.6, 0.4]])
0.75
>>> get_metric("acc").name
'accuracy'
"""

from __future__ import annotations

from mlplab.train.metrics.classification import (
    accuracy,
    confusion_matrix,
    f1,
    format_report,
    precision,
    precision_recall_f1_report,
    recall,
    report_from_confusion,
    top_k_accuracy,
)
from mlplab.train.metrics.registry import Metric, get_metric
from mlplab.train.metrics.regression import mae, mse, r2

__all__ = [
    "Metric", "accuracy", "confusion_matrix", "f1", "format_report", "get_metric", "mae",
    "mse", "precision", "precision_recall_f1_report", "r2", "recall", "report_from_confusion",
    "top_k_accuracy",
]
