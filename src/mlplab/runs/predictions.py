"""What a saved model answers: class predictions, values, and evaluations on a dataset.

Each prediction kind writes itself as CSV (``to_csv``) and sums itself up in a line
(``summary``), so ``mlplab predict`` prints any model's answers the same way.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Evaluation", "Predictions", "ValuePredictions", "write_predictions"]


def _write_csv(header: list[str], rows: Any, target: str | Path | None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if target is not None:
        from mlplab.io.container import write_atomic

        write_atomic(target, text.encode("utf-8"))
    return text


@dataclass
class Predictions:
    """Predicted class ids, their names and the class probabilities (n, K)."""

    ids: np.ndarray
    names: list[str]
    proba: np.ndarray
    class_names: list[str]
    output: Path | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_proba(cls, proba: np.ndarray, class_names: list[str],
                   output: str | Path | None = None) -> Predictions:
        """argmax of each row of ``proba``; the CSV is written to ``output`` when given."""
        ids = proba.argmax(axis=1)
        result = cls(ids, [class_names[i] for i in ids], proba, class_names)
        if output is not None:
            result.to_csv(output)
            result.output = Path(output)
        return result

    def to_csv(self, target: str | Path | None = None) -> str:
        """``row, class, probability`` and one ``p_<class>`` column per class."""
        rows = ([i, name, f"{self.proba[i][cid]:.6f}", *(f"{p:.6f}" for p in self.proba[i])]
                for i, (cid, name) in enumerate(zip(self.ids, self.names, strict=True)))
        return _write_csv(["row", "class", "probability",
                           *(f"p_{name}" for name in self.class_names)], rows, target)

    def summary(self) -> str:
        """'digit 3: 12, digit 7: 8': how many rows each class got."""
        counts = Counter(self.names)
        return ", ".join(f"{name}: {counts[name]}" for name in self.class_names if counts[name])


@dataclass
class ValuePredictions:
    """Predicted numbers (a regression model's, in the target's units)."""

    values: np.ndarray
    target: str
    output: Path | None = None

    def __len__(self) -> int:
        return len(self.values)

    @classmethod
    def create(cls, values: np.ndarray, target: str, output: str | Path | None = None
               ) -> ValuePredictions:
        result = cls(np.asarray(values, dtype=np.float64), target)
        if output is not None:
            result.to_csv(output)
            result.output = Path(output)
        return result

    def to_csv(self, target: str | Path | None = None) -> str:
        """``row, <target>`` with one predicted value per input row."""
        return _write_csv(["row", self.target],
                          ([i, f"{v:.6g}"] for i, v in enumerate(self.values)), target)

    def summary(self) -> str:
        v = self.values
        return (f"{self.target}: mean {v.mean():.4g}, min {v.min():.4g}, max {v.max():.4g}"
                if len(v) else f"{self.target}: no rows")


def write_predictions(predictions: Any, target: str | Path | None = None) -> str:
    """The predictions as CSV text, written atomically to ``target`` when given."""
    return predictions.to_csv(target)


@dataclass
class Evaluation:
    """A saved model's metrics on a dataset; classifiers add the per-class report."""

    metrics: dict[str, float]
    n: int
    split: str
    data: str
    class_names: list[str]
    report: dict[str, Any] = field(repr=False)
    report_text: str = field(repr=False)
    confusion: np.ndarray | None = field(repr=False)
