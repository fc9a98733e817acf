"""Input checks and counting shared by the metrics: one clear error at the boundary."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

_AVERAGES = ("macro", "micro", "weighted", "binary", None)
_MAX_CLASSES = 1_000_000  # larger "class ids" are regression targets or garbage
_MAX_MATRIX_CLASSES = 4096  # a K × K int64 matrix of 128 MiB



# --------------------------------------------------------------------------- input checks
def _as_array(x: Any, name: str) -> np.ndarray:
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


def _check_count(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value!r}")


def _check_pair(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray]:
    t, s = _as_array(y_true, "y_true"), _as_array(y_score, "y_score")
    if len(t) != len(s):
        raise ValueError(
            f"y_true and y_score: expected the same number of samples, got {len(t)} and "
            f"{len(s)}; pass the predictions for exactly the samples in y_true"
        )
    return t, s


def _check_finite(a: np.ndarray, name: str) -> None:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        row = int(np.argmin(np.isfinite(a.reshape(len(a), -1)).all(axis=1)))
        raise ValueError(
            f"{name}: expected finite values, got NaN or inf (first at row {row}); "
            "a diverged model? check the training loss"
        )


def _labels(y: np.ndarray, name: str = "y_true") -> np.ndarray:
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
    _check_finite(y, name)
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


def _predictions(s: np.ndarray) -> tuple[np.ndarray, int]:
    """Predicted class ids (n,) and the number of classes the scores imply (0: unknown)."""
    if s.ndim == 2 and s.shape[1] >= 2:  # per-class scores or probabilities
        _check_finite(s, "y_score")
        return s.argmax(axis=1), s.shape[1]
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim != 1:
        raise ValueError(
            "y_score: expected scores (n, C), positive-class probabilities (n,) or (n, 1), "
            f"or class ids (n,), got shape {s.shape}"
        )
    _check_finite(s, "y_score")
    if s.dtype.kind in "biu" or (s == np.round(s)).all():
        return _labels(s, "y_score"), 0
    if s.min() >= 0.0 and s.max() <= 1.0:  # p(class 1) of a binary model
        return (s > 0.5).astype(np.int64), 2
    raise ValueError(
        f"y_score: 1-D float values in [{s.min():g}, {s.max():g}] are neither class ids nor "
        "probabilities in [0, 1]; for logits pass sigmoid(logits) or (logits > 0)"
    )


def _classes(y_true: Any, y_score: Any, min_classes: int = 0) -> tuple[np.ndarray, ...]:
    """True ids t (n,), predicted ids p (n,) and the number of classes K, checked."""
    t, s = _check_pair(y_true, y_score)
    t = _labels(t)
    p, width = _predictions(s)
    if width and t.max() >= width:
        raise ValueError(
            f"y_true: class id {int(t.max())} is out of range for y_score with {width} "
            f"columns (classes 0..{width - 1}); check the labels or the model's output width"
        )
    k = max(width, int(t.max()) + 1, int(p.max()) + 1, min_classes)
    if k > _MAX_CLASSES:
        raise ValueError(
            f"y_true/y_score: class ids go up to {k - 1}; expected class ids 0..C-1 "
            "(for real-valued targets use mae, mse or r2)"
        )
    return t, p, k


class _Counts(NamedTuple):
    """Per-class sums of the confusion matrix C, each of length K (no K × K needed)."""

    tp: np.ndarray  # TP_c = C[c, c]
    predicted: np.ndarray  # Σ_i C[i, c]
    support: np.ndarray  # Σ_j C[c, j]

    @classmethod
    def of(cls, y_true: Any, y_score: Any, min_classes: int = 0) -> _Counts:
        t, p, k = _classes(y_true, y_score, min_classes)
        return cls(np.bincount(t[t == p], minlength=k), np.bincount(p, minlength=k),
                   np.bincount(t, minlength=k))

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
