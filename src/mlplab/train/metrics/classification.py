"""Classification metrics read off the confusion matrix (see ``mlplab.train.metrics``)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from mlplab.checks import OneOf, check, check_positive_int
from mlplab.train.metrics.confusion_counts import ConfusionCounts
from mlplab.train.metrics.labels import check_finite, check_pair, class_ids, true_and_predicted

AVERAGES = OneOf(("macro", "micro", "weighted", "binary", None), example="'macro'")
MAX_MATRIX_CLASSES = 4096  # a K × K int64 matrix of 128 MiB
_REPORT_AVERAGES = ("accuracy", "macro avg", "weighted avg")


def accuracy(y_true: Any, y_score: Any) -> float:
    """Fraction of samples whose predicted class is the true one: (1/n) Σ 1[ŷᵢ = yᵢ]."""
    t, p, _ = true_and_predicted(y_true, y_score)
    return float(np.mean(t == p))


def top_k_accuracy(y_true: Any, y_score: Any, k: int = 5) -> float:
    """Fraction of samples whose true class is among the k highest scores.

    A sample counts when fewer than k classes score strictly higher than its
    true class (ties at the boundary count as hits, as TensorFlow's in_top_k).
    Needs per-class scores (n, C); top-1 accuracy equals :func:`accuracy`.
    """
    k = check_positive_int(k, "k", "top_k_accuracy")
    t, s = check_pair(y_true, y_score)
    t = class_ids(t)
    if s.ndim != 2 or s.shape[1] < 2:
        raise ValueError(
            f"y_score: top_k_accuracy needs per-class scores of shape (n, C), got shape "
            f"{s.shape}; pass the model's probabilities, not predicted ids"
        )
    check_finite(s, "y_score")
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
    owner = ("precision", "recall", "f1")[which]
    check(owner, "average", average, AVERAGES)
    counts = ConfusionCounts.of(y_true, y_score, min_classes=2 if average == "binary" else 0)
    if average == "binary" and len(counts.tp) > 2:
        raise ValueError(
            f"{owner}: average='binary' needs two classes, got {len(counts.tp)}; "
            "use 'macro' or None"
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
        num_classes = check_positive_int(num_classes, "num_classes", "confusion_matrix")
    t, p, k = true_and_predicted(y_true, y_pred, min_classes=num_classes or 0)
    if num_classes is not None and k > num_classes:
        raise ValueError(
            f"num_classes: got {num_classes}, but the labels or scores need {k} classes "
            f"(ids 0..{k - 1}); raise num_classes"
        )
    if k > MAX_MATRIX_CLASSES:
        raise ValueError(
            f"y_true/y_pred: {k} classes would need a {k} x {k} matrix (over "
            f"{MAX_MATRIX_CLASSES}); use precision/recall with average=None instead"
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
        names = _report_names(class_names)
        counts = ConfusionCounts.of(y_true, y_score, min_classes=len(names))
        if len(counts.tp) > len(names):
            raise ValueError(
                f"class_names: got {len(names)} names but the labels or scores have "
                f"{len(counts.tp)} classes; pass one name per class id"
            )
        return _report(counts, names, np.arange(len(names)), zero_division)
    counts = ConfusionCounts.of(y_true, y_score)
    names = [str(i) for i in range(len(counts.tp))]
    return _report(counts, names, np.flatnonzero(counts.present()), zero_division)


def report_from_confusion(matrix: Any, class_names: Sequence[str], *,
                          zero_division: float = 0.0) -> dict[str, Any]:
    """:func:`precision_recall_f1_report` from a K × K confusion matrix C[true, predicted]
    instead of the labels: the same numbers, for predictions counted chunk by chunk."""
    names = _report_names(class_names)
    matrix = np.asarray(matrix)
    if matrix.shape != (len(names), len(names)):
        raise ValueError(f"matrix: expected shape ({len(names)}, {len(names)}), one row and "
                         f"column per class name, got {matrix.shape}")
    counts = ConfusionCounts.from_matrix(matrix)
    return _report(counts, names, np.arange(len(names)), zero_division)


def _report_names(class_names: Sequence[str]) -> list[str]:
    names = [str(c) for c in class_names]
    if len(set(names)) != len(names) or set(names) & set(_REPORT_AVERAGES):
        raise ValueError(
            f"class_names: expected distinct names other than {_REPORT_AVERAGES}, "
            f"got {names}"
        )
    return names


def _report(counts: ConfusionCounts, names: list[str], rows: np.ndarray,
            zero_division: float) -> dict[str, Any]:
    """The report's rows (``rows``: the class ids shown) and its averages."""
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
