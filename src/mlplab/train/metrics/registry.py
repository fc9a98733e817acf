"""Metric names → functions: what ``Trainer(metrics=("accuracy", "top5"))`` resolves."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from mlplab.checks import unknown
from mlplab.train.metrics.classification import accuracy, f1, precision, recall, top_k_accuracy
from mlplab.train.metrics.regression import mae, mse, r2


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
        # top_<k>_accuracy stands for any k (top_3_accuracy, top5, ...)
        raise unknown("get_metric", "metric", metric,
                      [*_REGISTRY, *_ALIASES, "top_5_accuracy", "top_<k>_accuracy"], max_listed=20)
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
