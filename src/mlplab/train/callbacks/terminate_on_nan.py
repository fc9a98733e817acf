"""Stop at the first non-finite loss a callback sees (the Trainer also checks every batch).

``Trainer`` checks each batch's loss and outputs itself, before the update and before
the metrics (see ``mlplab.train.divergence``), so it needs no callback for this. This
one stays for loops that report a loss through ``on_batch_end`` without checking it.
"""

from __future__ import annotations

import math

from mlplab.train.callbacks.base import Callback, Logs
from mlplab.train.divergence import DivergenceError, divergence_message

__all__ = ["DivergenceError", "TerminateOnNaN"]


class TerminateOnNaN(Callback):
    """Stops training when a logged batch loss is NaN or ±inf and words the reason in
    ``trainer.divergence`` (epoch, batch, last finite loss, what to try)."""

    def __init__(self) -> None:
        self.last_finite_loss: float | None = None
        self._epoch = 0

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.last_finite_loss = None

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._epoch = epoch

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is None:
            return
        if math.isfinite(loss):
            self.last_finite_loss = float(loss)
            return
        self.trainer.stop_training = True
        if not getattr(self.trainer, "divergence", None):  # the Trainer's own words first
            self.trainer.divergence = divergence_message(
                self._epoch, batch, loss, self.last_finite_loss, "an unknown place")
