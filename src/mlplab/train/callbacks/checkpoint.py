"""Save training checkpoints (model, optimizer, RNG states) as training goes."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from mlplab.checks import BOOLEAN, check
from mlplab.train.callbacks.base import Logs
from mlplab.train.callbacks.monitor import MonitorCallback


class ModelCheckpoint(MonitorCallback):
    """Write a checkpoint after each epoch, or only when ``monitor`` improves.

    A checkpoint holds the weights, the optimizer state, every random generator's
    state, the history and the epoch, so ``Trainer.resume(path)`` continues exactly
    as the uninterrupted run would. Files are written to a temporary name and then
    renamed, so a crash never leaves a half-written checkpoint, and a diverged
    (non-finite) epoch never overwrites a good one.

    Args:
        path: file to write; may contain ``{epoch}`` (1-based) to keep one file per epoch.
        monitor: History key compared when ``save_best_only``.
        save_best_only: write only when ``monitor`` improves.
        mode: 'min', 'max' or 'auto', as in ``EarlyStopping``.
        min_delta: the smallest change that counts as an improvement, as in ``EarlyStopping``.
    """

    def __init__(self, path: str | Path, monitor: str = "val_loss", save_best_only: bool = False,
                 mode: str = "auto", min_delta: float = 0.0) -> None:
        super().__init__(monitor, mode, min_delta)
        self.path = str(path)
        self.save_best_only = check("ModelCheckpoint", "save_best_only", save_best_only, BOOLEAN)
        self.last_saved: Path | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        if not self.trainer.resumed:  # after resume() the restored best still stands
            self.reset_best()

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if not math.isfinite(logs.get("loss", 0.0)):
            return
        if self.save_best_only:
            value = self.current(logs)
            if not self.improved(value):
                return
            self.best = float(value)
        target = Path(self.path.format(epoch=epoch + 1))
        self.trainer.save_checkpoint(target)
        self.last_saved = target

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best}
