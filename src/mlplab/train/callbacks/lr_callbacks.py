"""Callbacks that change the learning rate between epochs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlplab.checks import NON_NEGATIVE, Satisfies, check
from mlplab.optim.plateau import ReduceLROnPlateau as PlateauSchedule
from mlplab.train.callbacks.base import Callback, Logs
from mlplab.train.callbacks.monitor import MonitorCallback

_SCHEDULE = Satisfies(callable, "a callable epoch -> lr", example="lambda epoch: 0.1 * 0.5**epoch")


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
        self.schedule = check("LearningRateScheduler", "schedule", schedule, _SCHEDULE)

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        for group in _float_lr_groups(self.trainer, "LearningRateScheduler"):
            try:
                lr = self.schedule(epoch, group["lr"])
            except TypeError:
                lr = self.schedule(epoch)
            lr = float(lr)
            if not NON_NEGATIVE.ok(lr):
                raise ValueError(
                    f"LearningRateScheduler: the schedule returned lr={lr} for epoch {epoch}; "
                    "it must return a finite value >= 0"
                )
            group["lr"] = lr


class ReduceLROnPlateau(MonitorCallback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stalls for ``patience`` epochs.

    The rule is the schedule ``ml.optim.ReduceLROnPlateau`` (see its docstring: what
    counts as an improvement, how ``cooldown`` and ``min_lr`` act); this callback keeps
    one copy of it per parameter group, started from the group's learning rate, feeds
    it ``logs[monitor]`` at the end of every epoch and writes the new α back into the
    group. Each reduction is recorded in ``reductions`` as ``(epoch, lr)``.

    Args:
        monitor: History key ('val_loss').
        factor: multiplier in (0, 1).
        patience: epochs without improvement before reducing.
        mode: 'auto', 'min' or 'max' (see ``EarlyStopping``).
        min_delta: smallest change that counts as an improvement.
        cooldown: epochs after a reduction during which no bad epoch is counted.
        min_lr: the learning rate never goes below this.
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 mode: str = "auto", min_delta: float = 1e-4, cooldown: int = 0,
                 min_lr: float = 0.0) -> None:
        super().__init__(monitor, mode, min_delta)
        # built once here so that a bad factor, patience, … fails now, in the schedule's words
        self._rule = PlateauSchedule(0.0, mode=self.mode, factor=factor, patience=patience,
                                     min_delta=min_delta, cooldown=cooldown, min_lr=min_lr)
        self.factor, self.patience = self._rule.factor, self._rule.patience
        self.cooldown, self.min_lr = self._rule.cooldown, self._rule.min_lr
        self.schedules: list[PlateauSchedule] = []
        self.reductions: list[tuple[int, float]] = []

    def _schedule_for(self, lr: float) -> PlateauSchedule:
        return PlateauSchedule(**{**self._rule.get_config(), "initial_learning_rate": lr})

    def on_train_begin(self, logs: Logs | None = None) -> None:
        groups = _float_lr_groups(self.trainer, "ReduceLROnPlateau")
        if self.trainer.resumed and len(self.schedules) == len(groups):
            return  # continue with the restored best value, wait and cooldown counters
        self.schedules = [self._schedule_for(float(group["lr"])) for group in groups]
        self.reductions = []

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        value = self.current(logs)
        if value is None:
            return
        groups = self.trainer.optimizer.param_groups
        reduced = False
        for group, schedule in zip(groups, self.schedules, strict=True):
            schedule.lr = float(group["lr"])  # start from α as it is, whoever last set it
            new_lr = schedule.update(value)
            reduced = reduced or new_lr != group["lr"]
            group["lr"] = new_lr
        if reduced:
            self.reductions.append((epoch, float(groups[0]["lr"])))
        self.best = self.schedules[0].best

    def state_dict(self) -> dict[str, Any]:
        return {"schedules": [s.state_dict() for s in self.schedules],
                "reductions": [list(r) for r in self.reductions]}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.schedules = []
        for saved in state.get("schedules", []):  # none: start afresh at the next fit
            schedule = self._schedule_for(0.0)
            schedule.load_state_dict(saved)
            self.schedules.append(schedule)
        self.reductions = [(int(e), float(lr)) for e, lr in state.get("reductions", [])]
        if self.schedules:
            self.best = self.schedules[0].best
