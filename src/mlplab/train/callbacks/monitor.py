"""Shared logic of callbacks that watch one logged quantity (val_loss, val_accuracy, …)."""

from __future__ import annotations

import math
import warnings
from typing import Any

from mlplab.checks import NON_NEGATIVE, InstanceOf, OneOf, check
from mlplab.train.callbacks.base import Callback, Logs

_MODES = OneOf(("auto", "min", "max"), example="'min'")
_NAME = InstanceOf((str,), "a History key (a string)", example="'val_loss'")


class MonitorCallback(Callback):
    """Tracks the best value of ``monitor`` and decides whether a new value improved on it.

    Args:
        monitor: the History key to watch.
        mode: 'min', 'max' or 'auto' ('max' for names containing acc/f1/precision/recall/r2).
        min_delta: the smallest change that counts as an improvement.
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto",
                 min_delta: float = 0.0) -> None:
        owner = type(self).__name__
        check(owner, "monitor", monitor, _NAME)
        check(owner, "mode", mode, _MODES)
        check(owner, "min_delta", min_delta, NON_NEGATIVE)
        self.monitor = monitor
        if mode == "auto":
            bigger_better = ("acc", "f1", "precision", "recall", "r2", "auc")
            mode = "max" if any(k in monitor for k in bigger_better) else "min"
        self.mode = mode
        self.min_delta = float(min_delta)
        self.best: float = math.inf if mode == "min" else -math.inf

    def reset_best(self) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf

    def current(self, logs: Logs | None) -> float | None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            available = ", ".join(sorted(logs or {})) or "none"
            warnings.warn(
                f"{type(self).__name__}: '{self.monitor}' is not in the logs (available: "
                f"{available}); pass validation data or monitor one of those",
                stacklevel=3,
            )
        return value

    def improved(self, value: float) -> bool:
        """True when ``value`` beats the best so far by more than ``min_delta``."""
        if value is None or not math.isfinite(value):
            return False
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best = float(state["best"])
