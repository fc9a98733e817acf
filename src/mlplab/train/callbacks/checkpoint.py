"""Save training checkpoints (model, optimizer, RNG states) as training goes."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from mlplab.checks import BOOLEAN, POSITIVE_INT, ParameterError, check, optional
from mlplab.train.callbacks.base import Logs
from mlplab.train.callbacks.monitor import MonitorCallback


class ModelCheckpoint(MonitorCallback):
    """Write a checkpoint after each epoch, or only when ``monitor`` improves.

    A checkpoint holds the weights, the optimizer state, every random generator's
    state, the history, the epoch and every callback's state, so
    ``Trainer.resume(path)`` continues exactly as the uninterrupted run would. It runs
    after the other callbacks (``order = 1``), so the state it saves includes their
    work for the epoch. Files are written to a temporary name and then renamed, so a
    crash never leaves a half-written checkpoint, and a diverged (non-finite) epoch
    never overwrites a good one.

    On Ctrl-C (``on_interrupt``) it makes sure a file holds the state at the end of the
    last completed epoch and names it in ``resume_path``: with ``save_best_only``,
    always ``NAME.last.EXT`` beside the best file (so a program knows where to look);
    otherwise the file of that epoch, written now if it was not yet (an interrupt in
    the first epoch saves the starting state as epoch 0).

    ``every_batches=N`` (training on a stream only) also saves every N batches inside
    an epoch, to the epoch's file (``NAME.last.EXT`` with ``save_best_only``): such a
    checkpoint holds the stream position, and resuming from it continues with the next
    batch (see ``train/stream_fit.py``). An epoch over a large file can take hours.

    Args:
        path: file to write; may contain ``{epoch}`` (1-based) to keep one file per epoch.
        monitor: History key compared when ``save_best_only``.
        save_best_only: write only when ``monitor`` improves.
        mode: 'min', 'max' or 'auto', as in ``EarlyStopping``.
        min_delta: the smallest change that counts as an improvement, as in ``EarlyStopping``.
        every_batches: also save every this many batches within an epoch (streams only).
    """

    order = 1

    def __init__(self, path: str | Path, monitor: str = "val_loss", save_best_only: bool = False,
                 mode: str = "auto", min_delta: float = 0.0,
                 every_batches: int | None = None) -> None:
        super().__init__(monitor, mode, min_delta)
        self.path = str(path)
        self.save_best_only = check("ModelCheckpoint", "save_best_only", save_best_only, BOOLEAN)
        self.every_batches = check("ModelCheckpoint", "every_batches", every_batches,
                                   optional(POSITIVE_INT))
        self.last_saved: Path | None = None
        self.resume_path: Path | None = None
        # the state at the end of the latest epoch (for on_interrupt), and whether
        # last_saved holds it
        self._latest: dict[str, Any] | None = None
        self._latest_saved = False

    def on_train_begin(self, logs: Logs | None = None) -> None:
        if not self.trainer.resumed:  # after resume() the restored best still stands
            self.reset_best()
        self.resume_path = None
        if self.every_batches and not self.trainer.streaming:
            raise ParameterError("ModelCheckpoint: every_batches saves mid-epoch, which only "
                                 "a fit on a Stream can resume; leave it out for arrays in "
                                 "memory")
        self._latest, self._latest_saved = self.trainer.state_dict(), False

    def on_batch_end(self, batch: int, logs: Any = None) -> None:
        if not self.every_batches or (batch + 1) % self.every_batches:
            return
        self._latest = self.trainer.state_dict()  # holds the stream position
        target = Path(self.path.format(epoch=self.trainer.position[0] + 1))
        if self.save_best_only:  # the best file keeps the best epoch's weights
            self._write(self._latest, target.with_name(f"{target.stem}.last{target.suffix}"))
            self._latest_saved = False
        else:
            self.last_saved, self._latest_saved = self._write(self._latest, target), True

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if not math.isfinite(logs.get("loss", 0.0)):
            return
        save = True
        if self.save_best_only:
            value = self.current(logs)
            save = self.improved(value)
            if save:
                self.best = float(value)
        self._latest, self._latest_saved = self.trainer.state_dict(), save
        if save:
            self.last_saved = self._write(self._latest, Path(self.path.format(epoch=epoch + 1)))

    def on_interrupt(self, epoch: int, batch: int) -> None:
        if self._latest is None:
            return
        if self._latest_saved and not self.save_best_only:
            self.resume_path = self.last_saved
            return
        target = Path(self.path.format(epoch=self.trainer.epochs_done))
        if self.save_best_only:
            target = target.with_name(f"{target.stem}.last{target.suffix}")
        self.resume_path = self._write(self._latest, target)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self._latest = None  # a copy of the weights and moments: do not keep it around

    def _write(self, state: dict[str, Any], target: Path) -> Path:
        from mlplab.io import save_state  # io sits below train; imported when first needed

        return save_state(state, target, kind="checkpoint")

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best}
