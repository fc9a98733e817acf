"""Stop a diverging run at the first non-finite loss, saying where and what to try."""

from __future__ import annotations

import math

from mlplab.train.callbacks.base import Callback, Logs


class DivergenceError(ArithmeticError):
    """Training produced a NaN or infinite loss. ``.history`` holds the epochs done so far."""

    def __init__(self, message: str, history=None) -> None:
        super().__init__(message)
        self.history = history


class TerminateOnNaN(Callback):
    """Stops training when the loss becomes NaN or ±inf (the Trainer adds one by default).

    The Trainer then raises ``DivergenceError`` with the epoch, the batch, the last
    finite loss and the usual remedies; callbacks still get ``on_train_end`` first,
    so logs are closed and the best checkpoint already written stays intact.
    """

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
        last = "none yet" if self.last_finite_loss is None else f"{self.last_finite_loss:.6g}"
        self.trainer.stop_training = True
        self.trainer.divergence = (
            f"training diverged: the loss became {loss} at epoch {self._epoch + 1}, batch "
            f"{batch + 1} (last finite loss: {last}). Try a lower learning rate, normalizing "
            "the inputs (ml.data.Standardizer), or clipping gradients (clip_grad_norm)."
        )
