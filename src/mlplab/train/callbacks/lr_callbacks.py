"""Callbacks that change the learning rate between epochs."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from mlplab.train.callbacks.base import Callback, Logs
from mlplab.train.callbacks.monitor import MonitorCallback


def _float_lr_groups(trainer: Any, who: str) -> list[dict[str, Any]]:
    groups = trainer.optimizer.param_groups
    for group in groups:
        if callable(group["lr"]):
            raise ValueError(
                f"{who}: the optimizer's lr is already a schedule; use either a schedule or "
                f"{who}, not both"
            )
    return groups


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of each epoch from ``schedule``.

    Args:
        schedule: ``schedule(epoch) -> lr`` or ``schedule(epoch, lr) -> lr`` (Keras style);
            epochs count from 0. A per-*step* schedule (``ml.optim.schedules``) is better
            passed to the optimizer directly as its ``lr``.
    """

    def __init__(self, schedule: Callable[..., float]) -> None:
        if not callable(schedule):
            raise TypeError("LearningRateScheduler: schedule must be callable: epoch -> lr")
        self.schedule = schedule

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        for group in _float_lr_groups(self.trainer, "LearningRateScheduler"):
            try:
                lr = self.schedule(epoch, group["lr"])
            except TypeError:
                lr = self.schedule(epoch)
            lr = float(lr)
            if not (math.isfinite(lr) and lr >= 0):
                raise ValueError(
                    f"LearningRateScheduler: the schedule returned lr={lr} for epoch {epoch}; "
                    "it must return a finite value >= 0"
                )
            group["lr"] = lr


class ReduceLROnPlateau(MonitorCallback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs.

    Args:
        monitor: History key ('val_loss').
        factor: multiplier in (0, 1).
        patience: epochs without improvement before reducing.
        min_delta: smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the learning rate never goes below this.
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 mode: str = "auto", min_delta: float = 1e-4, cooldown: int = 0,
                 min_lr: float = 0.0) -> None:
        super().__init__(monitor, mode, min_delta)
        if not 0 < factor < 1:
            raise ValueError(f"factor: expected a value in (0, 1), received {factor!r}")
        self.factor = float(factor)
        self.patience = int(patience)
        self.cooldown = int(cooldown)
        self.min_lr = float(min_lr)
        self.wait = 0
        self.cooldown_left = 0

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.reset_best()
        self.wait = 0
        self.cooldown_left = 0
        _float_lr_groups(self.trainer, "ReduceLROnPlateau")

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        value = self.current(logs)
        if value is None:
            return
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.wait = 0
        if self.improved(value):
            self.best = float(value)
            self.wait = 0
            return
        if self.cooldown_left > 0:
            return
        self.wait += 1
        if self.wait >= self.patience:
            for group in self.trainer.optimizer.param_groups:
                group["lr"] = max(group["lr"] * self.factor, self.min_lr)
            self.cooldown_left = self.cooldown
            self.wait = 0

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best, "wait": self.wait, "cooldown_left": self.cooldown_left}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best = float(state["best"])
        self.wait = int(state["wait"])
        self.cooldown_left = int(state["cooldown_left"])
