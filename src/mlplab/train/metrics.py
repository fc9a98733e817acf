"""Metrics: how good are the predictions? Pure NumPy, one call per evaluation.

Every metric has the shape ``fn(y_true, y_score) -> float`` (per-class variants
and the confusion matrix return arrays):

- ``y_true``: class ids, shape (n,) or (n, 1) (one-hot rows (n, C) are accepted
  too), or real targets for the regression metrics;
- ``y_score``: what the model produced — per-class scores or probabilities
  (n, C) (the prediction is ŷ = argmax_c y_score[:, c]); the probability of the
  positive class for a binary model, (n,) or (n, 1) (ŷ = 1 when p > 0.5, the
  notes' rule for logistic regression); predicted class ids; or, for
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

import difflib
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Metric", "accuracy", "confusion_matrix", "f1", "format_report", "get_metric", "mae",
    "mse", "precision", "precision_recall_f1_report", "r2", "recall", "top_k_accuracy",
]

_AVERAGES = ("macro", "micro", "weighted", "binary", None)
_REPORT_AVERAGES = ("accuracy", "macro avg", "weighted avg")
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


# --------------------------------------------------------------------------- classification
def accuracy(y_true: Any, y_score: Any) -> float:
    """Fraction of samples whose predicted class is the true one: (1/n) Σ 1[ŷᵢ = yᵢ]."""
    t, p, _ = _classes(y_true, y_score)
    return float(np.mean(t == p))


def top_k_accuracy(y_true: Any, y_score: Any, k: int = 5) -> float:
    """Fraction of samples whose true class is among the k highest scores.

    A sample counts when fewer than k classes score strictly higher than its
    true class (ties at the boundary count as hits, as TensorFlow's in_top_k).
    Needs per-class scores (n, C); top-1 accuracy equals :func:`accuracy`.
    """
    _check_count(k, "k")
    t, s = _check_pair(y_true, y_score)
    t = _labels(t)
    if s.ndim != 2 or s.shape[1] < 2:
        raise ValueError(
            f"y_score: top_k_accuracy needs per-class scores of shape (n, C), got shape "
            f"{s.shape}; pass the model's probabilities, not predicted ids"
        )
    _check_finite(s, "y_score")
    n, c = s.shape
    if t.max() >= c:
        raise ValueError(f"y_true: class id {int(t.max())} is out of range for {c} score columns")
    if k >= c:
        warnings.warn(
            f"top_k_accuracy: k={k} >= number of classes {c}, so every sample is a hit; "
            "use a smaller k", stacklevel=2)
    rank = (s > s[np.arange(n), t][:, None]).sum(axis=1)  # classes scoring above the truth
    return float(np.mean(rank < k))


def _averaged(which: int, y_true: Any, y_score: Any, average: str | None,
              zero_division: float) -> float | np.ndarray:
    if average not in _AVERAGES:
        close = difflib.get_close_matches(str(average), [a for a in _AVERAGES if a], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"average: expected one of 'macro', 'micro', 'weighted', 'binary' or None, "
            f"got {average!r}{hint}"
        )
    counts = _Counts.of(y_true, y_score, min_classes=2 if average == "binary" else 0)
    if average == "binary" and len(counts.tp) > 2:
        raise ValueError(
            f"average: 'binary' needs two classes, got {len(counts.tp)}; use 'macro' or None"
        )
    if average == "micro":  # pooled counts: every metric equals accuracy
        return counts.accuracy()
    values = counts.scores(zero_division)[which]
    if average is None:
        return values
    if average == "binary":
        return float(values[1])
    if average == "macro":
        return float(values[counts.present()].mean())
    return float(values @ counts.support / counts.support.sum())  # weighted


def precision(y_true: Any, y_score: Any, average: str | None = "macro", *,
              zero_division: float = 0.0) -> float | np.ndarray:
    """Precision TP / (TP + FP), per class then combined by ``average`` (module doc)."""
    return _averaged(0, y_true, y_score, average, zero_division)


def recall(y_true: Any, y_score: Any, average: str | None = "macro", *,
           zero_division: float = 0.0) -> float | np.ndarray:
    """Recall TP / (TP + FN), per class then combined by ``average`` (module doc)."""
    return _averaged(1, y_true, y_score, average, zero_division)


def f1(y_true: Any, y_score: Any, average: str | None = "macro", *,
       zero_division: float = 0.0) -> float | np.ndarray:
    """F1 = 2PR / (P + R), the harmonic mean, per class then combined by ``average``.

    'macro' averages the per-class F1 values (not F1 of the averaged P and R).
    """
    return _averaged(2, y_true, y_score, average, zero_division)


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None) -> np.ndarray:
    """Counts C[i, j] of samples of true class i predicted as j, shape (K, K) int64.

    K is ``num_classes`` or else the largest class id seen (or the score width) + 1.
    ``y_pred`` may be class ids or scores/probabilities (turned into ids as above).
    """
    if num_classes is not None:
        _check_count(num_classes, "num_classes")
    t, p, k = _classes(y_true, y_pred, min_classes=num_classes or 0)
    if num_classes is not None and k > num_classes:
        raise ValueError(
            f"num_classes: got {num_classes}, but the labels or scores need {k} classes "
            f"(ids 0..{k - 1}); raise num_classes"
        )
    if k > _MAX_MATRIX_CLASSES:
        raise ValueError(
            f"y_true/y_pred: {k} classes would need a {k} x {k} matrix (over "
            f"{_MAX_MATRIX_CLASSES}); use precision/recall with average=None instead"
        )
    # one bincount instead of a Python loop: cell (i, j) has flat index i·K + j
    return np.bincount(t * k + p, minlength=k * k).reshape(k, k)


def precision_recall_f1_report(y_true: Any, y_score: Any,
                               class_names: Sequence[str] | None = None, *,
                               zero_division: float = 0.0) -> dict[str, Any]:
    """Per-class precision, recall, F1 and support, plus accuracy and the averages.

    Same layout as scikit-learn's ``classification_report(output_dict=True)``:
    ``{name: {"precision", "recall", "f1-score", "support"}, ..., "accuracy": float,
    "macro avg": {...}, "weighted avg": {...}}``. With ``class_names`` there is one
    row per name (class id i is ``class_names[i]``, including classes with no
    samples); without, one row per class id that occurs, named ``"0"``, ``"1"``, ….
    """
    if class_names is not None:
        names = [str(c) for c in class_names]
        if len(set(names)) != len(names) or set(names) & set(_REPORT_AVERAGES):
            raise ValueError(
                f"class_names: expected distinct names other than {_REPORT_AVERAGES}, "
                f"got {names}"
            )
        counts = _Counts.of(y_true, y_score, min_classes=len(names))
        if len(counts.tp) > len(names):
            raise ValueError(
                f"class_names: got {len(names)} names but the labels or scores have "
                f"{len(counts.tp)} classes; pass one name per class id"
            )
        rows = np.arange(len(names))
    else:
        counts = _Counts.of(y_true, y_score)
        names = [str(i) for i in range(len(counts.tp))]
        rows = np.flatnonzero(counts.present())
    p, r, f = (a[rows] for a in counts.scores(zero_division))
    support = counts.support[rows]
    report: dict[str, Any] = {}
    for i, c in enumerate(rows):
        report[names[c]] = {"precision": float(p[i]), "recall": float(r[i]),
                            "f1-score": float(f[i]), "support": int(support[i])}
    total = int(support.sum())
    report["accuracy"] = counts.accuracy()
    w = support / total
    report["macro avg"] = {"precision": float(p.mean()), "recall": float(r.mean()),
                           "f1-score": float(f.mean()), "support": total}
    report["weighted avg"] = {"precision": float(p @ w), "recall": float(r @ w),
                              "f1-score": float(f @ w), "support": total}
    return report


def format_report(report: dict[str, Any], digits: int = 3) -> str:
    """The report of :func:`precision_recall_f1_report` as a plain-text table."""
    if not isinstance(report, dict) or "macro avg" not in report:
        raise TypeError(
            "report: expected the dict returned by precision_recall_f1_report, "
            f"got {type(report).__name__}"
        )
    cols = ("precision", "recall", "f1-score", "support")
    width = max(len(k) for k in report)
    num = max(len("precision"), digits + 2)
    head = " " * width + "".join(f"  {c:>{num}}" for c in cols)
    lines = [head, ""]

    def row(name: str, values: dict[str, Any]) -> str:
        cells = [f"{values[c]:>{num}.{digits}f}" for c in cols[:3]]
        cells.append(f"{values['support']:>{num}d}")
        return f"{name:>{width}}" + "".join(f"  {c}" for c in cells)

    for name, values in report.items():
        if name not in _REPORT_AVERAGES:
            lines.append(row(name, values))
    support = report["macro avg"]["support"]
    lines += ["", f"{'accuracy':>{width}}" + " " * (2 * (num + 2)) +
              f"  {report['accuracy']:>{num}.{digits}f}  {support:>{num}d}"]
    lines += [row(name, report[name]) for name in ("macro avg", "weighted avg")]
    return "\n".join(lines)


# --------------------------------------------------------------------------- regression
def _regression_pair(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray]:
    t, s = _check_pair(y_true, y_score)
    # (n,) and (n, 1) are the same single target; anything else must match exactly
    t = t.reshape(len(t), -1).astype(np.float64)
    s = s.reshape(len(s), -1).astype(np.float64)
    if t.shape != s.shape:
        raise ValueError(
            f"y_true and y_score: expected the same shape, got {t.shape} and {s.shape} "
            "(after treating (n,) as (n, 1))"
        )
    _check_finite(t, "y_true")
    _check_finite(s, "y_score")
    return t, s


def mae(y_true: Any, y_score: Any) -> float:
    """Mean absolute error (1/n) Σ |yᵢ − ŷᵢ| (averaged over all outputs)."""
    t, s = _regression_pair(y_true, y_score)
    return float(np.mean(np.abs(t - s)))


def mse(y_true: Any, y_score: Any) -> float:
    """Mean squared error (1/n) Σ (yᵢ − ŷᵢ)² (averaged over all outputs)."""
    t, s = _regression_pair(y_true, y_score)
    return float(np.mean((t - s) ** 2))


def r2(y_true: Any, y_score: Any) -> float:
    """Coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², mean over outputs.

    1 is a perfect fit, 0 is no better than predicting the mean ȳ, and it can
    be negative. For a constant target (Σ(y − ȳ)² = 0) it is 1 for a perfect
    prediction and 0 otherwise, as scikit-learn's ``force_finite`` default.
    """
    t, s = _regression_pair(y_true, y_score)
    if len(t) < 2:
        raise ValueError("y_true: r2 needs at least two samples, got 1")
    ss_res = np.sum((t - s) ** 2, axis=0)
    ss_tot = np.sum((t - t.mean(axis=0)) ** 2, axis=0)
    ratio = np.divide(ss_res, ss_tot, out=np.zeros_like(ss_res), where=ss_tot > 0)
    per_output = np.where(ss_tot > 0, 1.0 - ratio, np.where(ss_res == 0, 1.0, 0.0))
    return float(per_output.mean())


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Metric:
    """A named metric: ``name`` is its History key, ``fn(y_true, y_score)`` the value.

    ``higher_is_better`` tells EarlyStopping/ModelCheckpoint which way is better
    (None when unknown, e.g. a user function).
    """

    name: str
    fn: Callable[[Any, Any], Any]
    higher_is_better: bool | None = None

    def __call__(self, y_true: Any, y_score: Any) -> float:
        return float(self.fn(y_true, y_score))


_REGISTRY: dict[str, Metric] = {
    m.name: m for m in (
        Metric("accuracy", accuracy, True), Metric("precision", precision, True),
        Metric("recall", recall, True), Metric("f1", f1, True), Metric("mae", mae, False),
        Metric("mse", mse, False), Metric("r2", r2, True),
    )
}
_ALIASES = {"acc": "accuracy", "f1_score": "f1", "mean_absolute_error": "mae",
            "mean_squared_error": "mse", "r2_score": "r2"}
_TOP_K = re.compile(r"top_?(\d+)(?:_acc(?:uracy)?)?")  # top5, top_5, top_5_accuracy


def get_metric(metric: str | Callable[[Any, Any], Any] | Metric) -> Metric:
    """Turn a name, a function or a :class:`Metric` into a :class:`Metric`, once.

    Names: accuracy (acc), top_5_accuracy (top5; any k), precision, recall, f1
    (macro averages), mae, mse, r2. A function keeps its ``__name__`` as the
    History key; wrap a lambda as ``Metric("name", fn)``.
    """
    if isinstance(metric, Metric):
        return metric
    if isinstance(metric, str):
        key = re.sub(r"[\s-]+", "_", metric.strip().lower())
        key = _ALIASES.get(key, key)
        if key in _REGISTRY:
            return _REGISTRY[key]
        top = _TOP_K.fullmatch(key)
        if top and int(top.group(1)) > 0:
            k = int(top.group(1))
            return Metric(f"top_{k}_accuracy", partial(top_k_accuracy, k=k), True)
        valid = [*_REGISTRY, *_ALIASES, "top_5_accuracy", "top5"]
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValueError(
            f"metric: unknown name {metric!r}; {hint}valid names: {', '.join(valid)} "
            "(top_k_accuracy takes any k, e.g. 'top_3_accuracy')"
        )
    if callable(metric):
        for known in _REGISTRY.values():
            if known.fn is metric:
                return known
        name = getattr(metric, "__name__", None)
        if not name or name == "<lambda>":
            raise ValueError(
                f"metric: {metric!r} has no usable name for the History; define it with "
                "def, or wrap it as Metric('my_metric', fn)"
            )
        return Metric(name, metric)
    raise TypeError(
        "metric: expected a metric name such as 'accuracy', a function "
        f"fn(y_true, y_score) or a Metric, got {type(metric).__name__}"
    )
