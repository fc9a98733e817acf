"""One trial: parameters → ``TrainConfig`` → training, as ``mlplab train`` does it → a number.

The trial trains exactly the run that ``mlplab train --config`` would train with the
same settings (the same task hooks, Trainer, callbacks and seed), but writes no run
folder; its value is the dev-set metric of the final model (after early stopping
restored the best weights). That is why the best trial's config, written as TOML,
reproduces the trial's number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mlplab.checks import unknown
from mlplab.tune.space import Space

__all__ = ["METRICS", "InvalidTrial", "Objective", "config_for", "maximizes", "train_trial"]

METRICS = ("val_loss", "val_accuracy")


class InvalidTrial(ValueError):
    """Sampled settings that do not fit together (the trial is stored as FAIL)."""


def maximizes(metric: str) -> bool:
    """Whether a larger ``metric`` is better (accuracy) or worse (loss)."""
    if metric not in METRICS:
        raise unknown("tune", "metric", metric, METRICS)
    return metric == "val_accuracy"


def config_for(base: Any, space: Space, params: dict[str, Any]) -> Any:
    """The ``TrainConfig`` of a trial: ``base`` with the trial's stored ``params`` applied."""
    from mlplab.runs.config import make_config

    return make_config({**base.to_dict(), **space.values(params)})


@dataclass
class Objective:
    """Callable on an Optuna trial: train ``base`` with the trial's settings, return
    ``metric`` on the dev set; ``round`` is the coarse-to-fine round it belongs to."""

    base: Any
    space: Space
    metric: str = "val_loss"
    round: int = 0

    def __call__(self, trial: Any) -> float:
        import optuna

        from mlplab.runs.config import ConfigError, make_config

        values = self.space.suggest(trial)
        try:
            config = make_config({**self.base.to_dict(), **values})
        except ConfigError as err:  # settings that do not fit together: a failed trial
            trial.set_user_attr("error", str(err))
            raise InvalidTrial(str(err)) from None
        trial.set_user_attr("config", config.to_dict())
        trial.set_user_attr("round", self.round)
        value, pruned_at = train_trial(config, self.metric, trial)
        if not math.isfinite(value):  # a diverged run: the worst value, not an error
            value = 0.0 if maximizes(self.metric) else math.inf
        if pruned_at is not None:
            raise optuna.TrialPruned(f"pruned after epoch {pruned_at + 1}")
        return value


def train_trial(config: Any, metric: str, trial: Any = None) -> tuple[float, int | None]:
    """Train ``config`` as ``run_experiment`` does, without its files; return the final
    model's dev ``metric`` and the epoch a pruner stopped at (None: not pruned)."""
    import tempfile
    from pathlib import Path

    from mlplab.runs.tasks import get_task
    from mlplab.runs.training import build_trainer, run_callbacks
    from mlplab.train.callbacks import CSVLogger, ModelCheckpoint
    from mlplab.tune.pruning import PruningCallback

    task = get_task(config.task)
    prepared = task.prepare(task.resolve(config))
    if prepared.dev is None:
        raise ValueError("tune: the search compares trials on the dev set, but this config "
                         "holds none out; set validation_split > 0, e.g. 0.1")
    config = prepared.config
    model = task.build_model(config, prepared)
    with tempfile.TemporaryDirectory(prefix="mlplab-trial-") as scratch:
        callbacks = [cb for cb in run_callbacks(config, Path(scratch), True, None)
                     if not isinstance(cb, CSVLogger | ModelCheckpoint)]  # files only
        pruning = PruningCallback(trial, metric) if trial is not None else None
        trainer = build_trainer(config, task, model, prepared,
                                callbacks + ([pruning] if pruning else []))
        if config.epochs:
            trainer.fit(*prepared.train, epochs=config.epochs, batch_size=config.batch_size,
                        validation_data=prepared.dev)
    if pruning is not None and pruning.pruned_at is not None:
        return float(pruning.last), pruning.pruned_at
    value = task.evaluate(trainer, prepared.dev, prepared)[metric.removeprefix("val_")]
    return float(value), None
