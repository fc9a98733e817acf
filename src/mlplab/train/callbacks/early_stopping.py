"""Early stopping: stop when the dev-set metric stops improving."""

from __future__ import annotations

from typing import Any

from mlplab.checks import BOOLEAN, check, check_non_negative_int
from mlplab.train.callbacks.base import Logs
from mlplab.train.callbacks.monitor import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stop training once ``monitor`` has not improved for ``patience`` epochs in a row.

    Training error keeps falling while dev error starts to rise once the network
    overfits; stopping at the dev minimum is a cheap regularizer. With
    ``restore_best_weights`` the model ends with the weights of its best epoch.

    ``patience`` counts as in Keras and in ``ReduceLROnPlateau``: training stops at the
    end of the ``patience``-th epoch in a row without improvement (``patience=0``: at
    the first one). The best value, the wait counter and the best weights are part of
    the checkpoint, so a resumed run stops at the same epoch.

    Args:
        monitor: History key, 'val_loss' by default.
        patience: epochs in a row without improvement that stop training.
        min_delta: smallest change that counts as an improvement.
        mode: 'auto', 'min' or 'max'.
        restore_best_weights: put back the best epoch's weights when stopping/ending.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 5, min_delta: float = 0.0,
                 mode: str = "auto", restore_best_weights: bool = False) -> None:
        super().__init__(monitor, mode, min_delta)
        self.patience = check_non_negative_int(patience, "patience", "EarlyStopping")
        self.restore_best_weights = check("EarlyStopping", "restore_best_weights",
                                          restore_best_weights, BOOLEAN)
        self.wait = 0
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self._best_weights: dict[str, Any] | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.stopped_epoch = None
        if self.trainer.resumed:  # continue with the restored best value and patience count
            return
        self.reset_best()
        self.wait = 0
        self.best_epoch = None
        self._best_weights = None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        value = self.current(logs)
        if value is None:
            return
        if self.improved(value):
            self.best = float(value)
            self.best_epoch = epoch
            self.wait = 0
            if self.restore_best_weights:
                self._best_weights = self.trainer.model.state_dict()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.trainer.stop_training = True
            self.trainer.history.stopped_reason = (
                f"early stopping: {self.monitor} did not improve for {self.wait} epochs "
                f"(best {self.best:.4g} at epoch {self.best_epoch + 1})"
            )

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self.restore_best_weights and self._best_weights is not None:
            self.trainer.model.load_state_dict(self._best_weights)

    def state_dict(self) -> dict[str, Any]:
        state = {"best": self.best, "wait": self.wait, "best_epoch": self.best_epoch}
        if self._best_weights is not None:
            state["best_weights"] = self._best_weights
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.best = float(state["best"])
        self.wait = int(state["wait"])
        self.best_epoch = None if state["best_epoch"] is None else int(state["best_epoch"])
        weights = state.get("best_weights")
        self._best_weights = None if weights is None else dict(weights)
