"""Metrics of the playground's outputs: accuracy and confusion matrix, or RMSE and R².

The predicted class follows the output unit: argmax of the K scores (softmax), p > ½
(sigmoid), or output > 0 (tanh on ±1 labels, hinge scores). For regression,
RMSE = √(mean (o − t)²) and R² = 1 − Σ(o − t)² / Σ(t − t̄)², on the test set.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.playground.config import PlaygroundConfig
from mlplab.playground.datasets import PlaygroundData


def predicted_class(config: PlaygroundConfig, output: np.ndarray) -> np.ndarray:
    """Class index 0 … K−1 of each row of the network's output."""
    if output.ndim == 2 and output.shape[1] > 1:
        return np.argmax(output, axis=1)
    threshold = 0.5 if config.resolved_loss() == "bce" else 0.0
    return (output.reshape(-1) > threshold).astype(np.int64)


def confusion(labels: np.ndarray, predicted: np.ndarray, k: int) -> list[list[int]]:
    """Counts[true][predicted]."""
    table = np.zeros((k, k), dtype=np.int64)
    np.add.at(table, (labels.astype(np.int64), predicted), 1)
    return table.tolist()


def regression_scores(output: np.ndarray, target: np.ndarray) -> dict[str, float]:
    if len(target) == 0:
        return {}
    error = output.reshape(-1) - target
    spread = float(np.sum((target - target.mean()) ** 2))
    r2 = 1.0 - float(np.sum(error ** 2)) / spread if spread > 0 else float("nan")
    return {"rmse": float(np.sqrt(np.mean(error ** 2))), "r2": r2}


def epoch_metrics(config: PlaygroundConfig, data: PlaygroundData, train_out: np.ndarray,
                  test_out: np.ndarray) -> dict[str, Any]:
    """The per-epoch scalars beyond the losses."""
    if config.problem == "regression":
        if len(data.test_y):
            return regression_scores(test_out, data.test_y)
        return regression_scores(train_out, data.train_y)
    row: dict[str, Any] = {}
    if len(data.train_y):
        row["accuracy"] = float(np.mean(predicted_class(config, train_out) == data.train_y))
    if len(data.test_y):
        row["test_accuracy"] = float(np.mean(predicted_class(config, test_out) ==
                                             data.test_y))
    return row
