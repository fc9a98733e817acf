"""Pruning: stop hopeless trials early, by comparing their learning curves as they go.

Each epoch the :class:`PruningCallback` reports the monitored dev metric to the
trial; Optuna's pruner compares it with other trials at the same epoch:

- ``median``: stop a trial whose best value so far is worse than the median of the
  other trials' values at that epoch (after a few warm-up trials and epochs);
- ``halving``: successive halving, which keeps only the best 1/η of the trials at
  each rung of epochs (1, η, η², …; η = 3 here);
- ``none``: every trial runs its full epochs.

A pruned trial is stored with the state PRUNED and its last reported value.
"""

from __future__ import annotations

from typing import Any

from mlplab.checks import unknown
from mlplab.train.callbacks import Callback

__all__ = ["PRUNERS", "PruningCallback", "make_pruner"]

PRUNERS = ("median", "halving", "none")


def make_pruner(name: str) -> Any:
    """The Optuna pruner called ``name`` (one of :data:`PRUNERS`)."""
    import optuna

    if name == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=4, n_warmup_steps=1)
    if name == "halving":
        return optuna.pruners.SuccessiveHalvingPruner(reduction_factor=3)
    if name == "none":
        return optuna.pruners.NopPruner()
    raise unknown("tune", "pruner", name, PRUNERS)


class PruningCallback(Callback):
    """Report ``monitor`` (a History key such as 'val_loss') to ``trial`` every epoch and
    stop training once the pruner says so; :attr:`pruned_at` is then the 0-based epoch.

    The callback only stops the loop: the objective raises ``optuna.TrialPruned``
    after ``fit`` returns, so the Trainer ends its epoch and callbacks cleanly.
    """

    def __init__(self, trial: Any, monitor: str) -> None:
        self.trial = trial
        self.monitor = monitor
        self.pruned_at: int | None = None
        self.last: float | None = None

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        self.pruned_at = None

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            return
        self.last = float(value)
        self.trial.report(self.last, epoch)
        if self.trial.should_prune():
            self.pruned_at = epoch
            self.trainer.stop_training = True
