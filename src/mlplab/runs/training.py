"""The Trainer of a run: its callbacks and the regularizers the Trainer has no argument for.

- **L1** (``l1`` = λ₁): the training loss becomes J + λ₁ Σ_l Σ |W^[l]| over the weight
  matrices (not biases, not normalization scales); its subgradient λ₁·sign(W) pulls
  weights to exactly 0. Evaluation losses stay the plain data loss.
- **Max-norm** (``max_norm`` = c): after every step each unit's incoming weight vector
  is rescaled to ‖w‖₂ ≤ c (``ml.nn.utils.max_norm_``).
- **Plateau schedule**: α := decay_rate · α when the dev loss has not improved for
  ``decay_epochs`` epochs (``ReduceLROnPlateau``).

Weight decay, gradient clipping and the other schedules are the optimizer's and the
Trainer's own arguments (:mod:`mlplab.runs.optimizers`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from mlplab.train import Trainer
from mlplab.train.callbacks import Callback

__all__ = ["MaxNorm", "PenalizedTrainer", "build_trainer", "kept_epoch", "run_callbacks"]


def _weights(model: Any) -> list[Any]:
    """The weight matrices (two or more dimensions): what L1 and max-norm act on."""
    return [p for p in model.parameters() if p.data.ndim >= 2]


class PenalizedTrainer(Trainer):
    """A Trainer whose training loss adds λ₁ Σ |W| (the L1 penalty) over the weights."""

    def __init__(self, *args: Any, l1: float = 0.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.l1 = l1
        self._penalize = False  # on inside train_step only, so evaluations stay unpenalized

    def train_step(self, xb: Any, yb: Any) -> tuple[float, Any]:
        self._penalize = bool(self.l1)
        try:
            return super().train_step(xb, yb)
        finally:
            self._penalize = False

    def _plain_loss(self) -> bool:
        return not self.l1  # without the penalty the loss is the plain one: a plan applies

    def compute_loss(self, outputs: Any, targets: Any) -> Any:
        from mlplab.nn import l1_penalty

        loss = super().compute_loss(outputs, targets)
        if self._penalize:
            loss = loss + l1_penalty(_weights(self.model), self.l1)
        return loss


class MaxNorm(Callback):
    """After each step, shrink every unit's incoming weights to ‖w‖₂ ≤ ``max_value``."""

    def __init__(self, max_value: float) -> None:
        self.max_value = max_value

    def on_batch_end(self, batch: int, logs: dict[str, float] | None = None) -> None:
        from mlplab.nn.utils import max_norm_

        max_norm_(_weights(self.trainer.model), self.max_value)


def run_callbacks(config: Any, run_dir: Path, has_dev: bool, console: Any) -> list[Any]:
    """CSV log, early stopping, the plateau schedule and max-norm (when on), the best
    checkpoint (and on Ctrl-C the last epoch's, to resume from), and the progress bar."""
    from mlplab.train.callbacks import (
        CSVLogger,
        EarlyStopping,
        ModelCheckpoint,
        ProgressBar,
        ReduceLROnPlateau,
    )

    monitor = "val_loss" if has_dev else "loss"
    callbacks: list[Any] = [CSVLogger(run_dir / "history.csv")]
    if config.early_stopping:
        callbacks.append(EarlyStopping(monitor, patience=config.patience,
                                       restore_best_weights=True))
    if config.schedule == "plateau":
        callbacks.append(ReduceLROnPlateau(monitor, factor=config.decay_rate,
                                           patience=max(1, round(config.decay_epochs))))
    if config.max_norm is not None:
        callbacks.append(MaxNorm(config.max_norm))
    # on Ctrl-C it also writes checkpoint.last.safetensors, the state to resume from; a
    # streamed run (long epochs) also writes that file mid-epoch, every few thousand batches
    every = None
    if config.stream:
        from mlplab.runs.streamed import CHECKPOINT_BATCHES as every
    callbacks.append(ModelCheckpoint(run_dir / "checkpoint.safetensors", monitor=monitor,
                                     save_best_only=True, every_batches=every))
    if console is not None:  # a live bar on a terminal, one line per epoch in a log
        callbacks.append(ProgressBar(verbose=1 if console.is_terminal else 2, console=console))
    return callbacks


def kept_epoch(callbacks: list[Any]) -> int | None:
    """The 1-based epoch whose weights early stopping kept, or None without it."""
    from mlplab.train.callbacks import EarlyStopping

    stopper = next((cb for cb in callbacks if isinstance(cb, EarlyStopping)), None)
    return None if stopper is None or stopper.best_epoch is None else stopper.best_epoch + 1


def build_trainer(config: Any, task: Any, model: Any, prepared: Any,
                  callbacks: list[Any]) -> Trainer:
    """The Trainer of a run: the task's loss and metrics, the config's optimizer, seed,
    augmentation, gradient clipping and L1 penalty."""
    from mlplab.runs.optimizers import build_optimizer

    steps = math.ceil(prepared.sizes["train"] / config.batch_size)
    return PenalizedTrainer(model, task.loss(config), build_optimizer(model, config, steps),
                            metrics=task.metrics, callbacks=callbacks, seed=config.seed,
                            verbose=0, augment=prepared.augment,
                            clip_grad_norm=config.clip_grad_norm, l1=config.l1)
