"""``ReduceLROnPlateau``: a learning rate driven by a monitored value, not by the step."""

from __future__ import annotations

import math
from typing import Any

from mlplab import checks
from mlplab.optim.lr_schedule import LearningRateSchedule


class ReduceLROnPlateau(LearningRateSchedule):
    """Multiply α by ``factor`` when the monitored value stops improving (Keras arguments).

    Use it as an optimizer's ``lr`` and feed it the monitored value (e.g. the
    validation loss) once per epoch with ``update(value)``; the optimizer reads the
    current α at every step.

    A value *improves* when it is below ``best − min_delta`` (``mode="min"``) or
    above ``best + min_delta`` (``mode="max"``). After ``patience`` updates in a
    row without improvement, α := max(α · factor, min_lr), then ``cooldown``
    updates pass during which no bad update is counted. NaN never improves.

        >>> from mlplab.optim.plateau import ReduceLROnPlateau
        >>> lr = ReduceLROnPlateau(0.1, factor=0.5, patience=2)
        >>> [lr.update(x) for x in (1.0, 0.5, 0.6, 0.7, 0.8)]
        [0.1, 0.1, 0.1, 0.05, 0.05]

    Defaults: factor=0.1, patience=10, min_delta=1e-4, cooldown=0, min_lr=0
    (Keras's).

    Warning:
        PyTorch's ``ReduceLROnPlateau(patience=P)`` waits for P + 1 bad updates and
        by default compares relatively (``threshold_mode="rel"``); with
        ``threshold_mode="abs", threshold=min_delta, patience=P − 1`` it matches this
        one, cooldown included. Keras counts the last cooldown update as a bad one;
        here, as in PyTorch, all ``cooldown`` updates are ignored.
    """

    config = ("initial_learning_rate", "mode", "factor", "patience", "min_delta", "cooldown",
              "min_lr")
    constraints = {
        "initial_learning_rate": checks.Interval(0.0, None, "left", example="0.1"),
        "mode": checks.OneOf(("min", "max"), example="'min'"),
        "factor": checks.Interval(0.0, 1.0, "neither", example="0.1"),
        "patience": checks.Interval(0, None, "left", integer=True, example="10"),
        "min_delta": checks.Interval(0.0, None, "left", example="1e-4"),
        "cooldown": checks.Interval(0, None, "left", integer=True, example="0"),
        "min_lr": checks.Interval(0.0, None, "left", example="0.0"),
    }

    def __init__(self, initial_learning_rate: float, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, min_delta: float = 1e-4, cooldown: int = 0,
                 min_lr: float = 0.0) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.min_delta = min_delta
        self.cooldown = cooldown
        self.min_lr = min_lr
        self._validate()
        self.reset()

    def reset(self) -> None:
        """Back to α₀ with no history (e.g. at the start of a new training run)."""
        self.lr = float(self.initial_learning_rate)
        self.best = math.inf if self.mode == "min" else -math.inf
        self.wait = 0
        self.cooldown_counter = 0

    def __call__(self, step: int) -> float:
        return self.lr

    def _improved(self, value: float) -> bool:
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def update(self, value: Any) -> float:
        """Record one monitored value; return the (possibly reduced) learning rate."""
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"ReduceLROnPlateau.update: expected a number (the monitored "
                            f"value), received {type(value).__name__}") from None
        if self._improved(value):
            self.best = value
            self.wait = 0
        else:
            self.wait += 1
        if self.cooldown_counter > 0:  # bad updates in the cooldown are not counted
            self.cooldown_counter -= 1
            self.wait = 0
        if self.wait >= self.patience and self.lr > self.min_lr:
            self.lr = max(self.lr * self.factor, self.min_lr)
            self.cooldown_counter = self.cooldown
            self.wait = 0
        return self.lr

    def state_dict(self) -> dict[str, Any]:
        return {"config": self.get_config(), "lr": self.lr, "best": self.best,
                "wait": self.wait, "cooldown_counter": self.cooldown_counter}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.__init__(**state["config"])
        self.lr = float(state["lr"])
        self.best = float(state["best"])
        self.wait = int(state["wait"])
        self.cooldown_counter = int(state["cooldown_counter"])
