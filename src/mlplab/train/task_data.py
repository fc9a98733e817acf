"""Training data checked against the task: features, then targets the loss can use.

The loss decides what a target is (see ``tasks.py``): class ids 0..K−1 for a
K-class loss, two labels for a binary loss, finite numbers for regression. The
checks run once, when data enters ``fit`` or ``evaluate``, and every mistake is
reported with the argument's name and the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from mlplab.checks import is_sparse
from mlplab.data.validation import check_array, check_labels
from mlplab.train.tasks import Task


def check_task_data(X: Any, y: Any, task: Task, dtype: np.dtype,
                    output_width: Callable[[Any], int],
                    names: tuple[str, str] = ("X", "y")) -> tuple[Any, np.ndarray]:
    """``(X, y)`` ready for training: X 2-D in ``dtype`` (sparse stays sparse), y as the
    task needs it.

    ``output_width(X)`` runs the model on a few rows of X and returns its number of
    outputs (K for K classes); it is called once the shapes agree, so a model that does
    not fit X fails here, at the boundary, rather than in the first training step.
    """
    x_name, y_name = names
    X = check_array(X, name=x_name, ensure_2d=False)
    if X.ndim == 1:
        raise ValueError(f"{x_name}: expected 2-D features (n_samples, n_features), got "
                         f"shape {X.shape}; use {x_name}.reshape(-1, 1) for one feature")
    if y is None:
        raise ValueError(f"{y_name}: targets are required to train or evaluate")
    y_arr = np.asarray(y)
    if y_arr.ndim == 0 or len(y_arr) != X.shape[0]:
        got = "a scalar" if y_arr.ndim == 0 else f"{len(y_arr)} rows"
        raise ValueError(f"{x_name} and {y_name} have different lengths: {x_name} has "
                         f"{X.shape[0]} rows, {y_name} has {got}; pass one target per sample")
    width = output_width(X)
    if task.kind == "multiclass":
        y_arr = check_labels(y_arr, name=y_name, num_classes=width)
    elif task.kind == "binary":
        y_arr = binary_labels(y_arr, task, dtype, y_name)
    elif y_arr.dtype.kind not in "biuf" or not np.isfinite(y_arr.astype(float)).all():
        raise ValueError(f"{y_name}: regression targets must be finite numbers")
    if not is_sparse(X) and X.dtype != dtype:
        X = X.astype(dtype)
    return X, y_arr


def binary_labels(y: np.ndarray, task: Task, dtype: np.dtype, name: str = "y") -> np.ndarray:
    """Labels of a binary loss as floats: {0, 1}, or {−1, 1} too for a margin (hinge) loss."""
    values = set(np.unique(y).tolist())
    allowed = ({0, 1}, {-1, 1}) if task.activation == "margin" else ({0, 1},)
    if not any(values <= a for a in allowed):
        found = sorted(values)[:5]
        expected = " or ".join(str(sorted(a)) for a in allowed)
        raise ValueError(
            f"{name}: a binary loss needs labels in {expected},"
            f" found {found}; map the two classes to 0 and 1"
        )
    return y.astype(dtype)
