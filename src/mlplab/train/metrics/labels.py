"""What the metrics receive, checked once: (y_true, y_score) pairs and class ids.

``y_true`` becomes class ids (from ids, whole floats, a column or one-hot rows);
``y_score`` becomes predicted class ids (from per-class scores, positive-class
probabilities or ids). Every mistake raises one error naming the argument.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_CLASSES = 1_000_000  # larger "class ids" are regression targets or garbage


def as_array(x: Any, name: str) -> np.ndarray:
    if not isinstance(x, np.ndarray) and callable(getattr(x, "numpy", None)):
        x = x.numpy()  # an mlplab or torch tensor
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{name}: expected a rectangular numeric array, got {err}") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected numbers, got an array of dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"{name}: expected one value per sample, got the scalar {x!r}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name}: expected at least one sample, got an empty array")
    return arr


def check_pair(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray]:
    t, s = as_array(y_true, "y_true"), as_array(y_score, "y_score")
    if len(t) != len(s):
        raise ValueError(
            f"y_true and y_score: expected the same number of samples, got {len(t)} and "
            f"{len(s)}; pass the predictions for exactly the samples in y_true"
        )
    return t, s


def check_finite(a: np.ndarray, name: str) -> None:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        row = int(np.argmin(np.isfinite(a.reshape(len(a), -1)).all(axis=1)))
        raise ValueError(
            f"{name}: expected finite values, got NaN or inf (first at row {row}); "
            "a diverged model? check the training loss"
        )


def class_ids(y: np.ndarray, name: str = "y_true") -> np.ndarray:
    """Class ids (n,) int64 from ids, bools, integral floats, a column or one-hot rows."""
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim == 2 and np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all():
        y = y.argmax(axis=1)  # one-hot rows
    if y.ndim != 1:
        raise ValueError(
            f"{name}: expected class ids of shape (n,) or one-hot rows (n, C), got shape "
            f"{y.shape}"
        )
    check_finite(y, name)
    if y.dtype.kind == "f" and not (y == np.round(y)).all():
        bad = y[y != np.round(y)][0]
        raise ValueError(
            f"{name}: expected integer class ids, got non-integer values such as {bad:g}; "
            "for real-valued targets use the regression metrics mae, mse or r2"
        )
    y = y.astype(np.int64)
    if y.min() < 0:
        raise ValueError(f"{name}: expected class ids >= 0, got {int(y.min())}")
    return y


def predicted_classes(s: np.ndarray) -> tuple[np.ndarray, int]:
    """Predicted class ids (n,) and the number of classes the scores imply (0: unknown)."""
    if s.ndim == 2 and s.shape[1] >= 2:  # per-class scores or probabilities
        check_finite(s, "y_score")
        return s.argmax(axis=1), s.shape[1]
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim != 1:
        raise ValueError(
            "y_score: expected scores (n, C), positive-class probabilities (n,) or (n, 1), "
            f"or class ids (n,), got shape {s.shape}"
        )
    check_finite(s, "y_score")
    if s.dtype.kind in "biu" or (s == np.round(s)).all():
        return class_ids(s, "y_score"), 0
    if s.min() >= 0.0 and s.max() <= 1.0:  # p(class 1) of a binary model
        return (s > 0.5).astype(np.int64), 2
    raise ValueError(
        f"y_score: 1-D float values in [{s.min():g}, {s.max():g}] are neither class ids nor "
        "probabilities in [0, 1]; for logits pass sigmoid(logits) or (logits > 0)"
    )


def true_and_predicted(y_true: Any, y_score: Any, min_classes: int = 0) -> tuple[np.ndarray, ...]:
    """True ids t (n,), predicted ids p (n,) and the number of classes K, checked."""
    t, s = check_pair(y_true, y_score)
    t = class_ids(t)
    p, width = predicted_classes(s)
    if width and t.max() >= width:
        raise ValueError(
            f"y_true: class id {int(t.max())} is out of range for y_score with {width} "
            f"columns (classes 0..{width - 1}); check the labels or the model's output width"
        )
    k = max(width, int(t.max()) + 1, int(p.max()) + 1, min_classes)
    if k > MAX_CLASSES:
        raise ValueError(
            f"y_true/y_score: class ids go up to {k - 1}; expected class ids 0..C-1 "
            "(for real-valued targets use mae, mse or r2)"
        )
    return t, p, k
