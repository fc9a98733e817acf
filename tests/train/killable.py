"""A small training run with stateful callbacks, and a script that kills it with SIGKILL.

``python -m tests.train.killable CASE FOLDER K`` trains the run of ``CASE`` and
kills itself (``kill -9``, no cleanup of any kind) in the middle of epoch K + 1,
after K complete epochs; ``ckpt-{epoch}.safetensors`` files in FOLDER are what
it leaves to resume from. The tests build the same run in their own process.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import numpy as np

import mlplab as ml
from mlplab.train.callbacks import (
    Callback,
    CSVLogger,
    EarlyStopping,
    ModelCheckpoint,
    ReduceLROnPlateau,
)

nn = ml.nn
EPOCHS = 8  # N: the straight run's length
FIT = {"epochs": EPOCHS, "batch_size": 16, "validation_split": 0.2}
CASES = ("early_stopping", "plateau", "best_checkpoint", "csv_logger", "all")


def data():
    X, y = ml.data.gaussians(n=150, seed=1)
    return X.astype(np.float32), y


def callbacks(case: str, folder: Path) -> list[Callback]:
    """The callbacks under test; each one's state must cross the resume point.

    min_delta=10 means only the first epoch improves, so the counters run on: early
    stopping stops after epoch 5 (patience 4), the plateau rule halves α after epochs
    3, 5 and 7, and the best checkpoint holds epoch 1. Lost state changes all of that.
    """
    chosen = {
        "early_stopping": [EarlyStopping("val_loss", patience=4, min_delta=10.0,
                                         restore_best_weights=True)],
        "plateau": [ReduceLROnPlateau("val_loss", factor=0.5, patience=2, min_delta=10.0)],
        "best_checkpoint": [ModelCheckpoint(folder / "best.safetensors", min_delta=10.0,
                                            save_best_only=True)],
        "csv_logger": [CSVLogger(folder / "log.csv")],
    }
    if case == "all":
        return [cb for name in CASES[:-1] for cb in callbacks(name, folder)]
    return chosen[case]


def trainer(case: str, folder: Path, *extra: Callback) -> ml.train.Trainer:
    """The run of ``case``: dropout (a random stream to restore), Adam (moments), and a
    checkpoint after every epoch to resume from."""
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))
    every_epoch = ModelCheckpoint(folder / "ckpt-{epoch}.safetensors")
    return ml.train.Trainer(model, nn.CrossEntropyLoss(),
                            ml.optim.Adam(model.parameters(), lr=0.02), metrics=("accuracy",),
                            seed=5, verbose=0,
                            callbacks=[*callbacks(case, folder), every_epoch, *extra])


class KillAt(Callback):
    """``kill -9`` this process at ``batch`` of ``epoch`` (both from 0)."""

    def __init__(self, epoch: int, batch: int = 1) -> None:
        self.at, self.epoch = (epoch, batch), -1

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            os.kill(os.getpid(), signal.SIGKILL)


def main(case: str, folder: str, k: int) -> None:
    trainer(case, Path(folder), KillAt(epoch=k)).fit(*data(), **FIT)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
