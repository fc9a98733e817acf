"""``History``: the per-epoch record of training, Keras-style."""

from __future__ import annotations

from typing import Any

from mlplab.train.callbacks.base import Callback, Logs


class History(Callback):
    """Collects the epoch logs: ``history.history`` maps 'loss', 'val_loss', '<metric>',
    'val_<metric>' and 'lr' to one value per epoch; ``history.epoch`` lists epoch numbers.

    The Trainer always records one (``trainer.history``); it is returned by ``fit``.
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.stopped_reason: str | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        # Keep earlier epochs when fit() is called again to continue training (as Keras).
        self.stopped_reason = None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __repr__(self) -> str:
        keys = ", ".join(self.history)
        return f"History(epochs={len(self.epoch)}, keys=[{keys}])"

    def state_dict(self) -> dict[str, Any]:
        return {"history": {k: list(v) for k, v in self.history.items()},
                "epoch": list(self.epoch)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.history = {k: [float(x) for x in v] for k, v in state["history"].items()}
        self.epoch = [int(e) for e in state["epoch"]]
