"""Write the epoch logs to a CSV file, one row per epoch."""

from __future__ import annotations

import csv
from pathlib import Path

from mlplab.checks import BOOLEAN, check
from mlplab.train.callbacks.base import Callback, Logs


class CSVLogger(Callback):
    """Append ``epoch`` and every logged value to ``path`` after each epoch.

    The file is flushed after every row, so it can be watched while training runs
    and survives a crash.
    """

    def __init__(self, path: str | Path, append: bool = False) -> None:
        self.path = Path(path)
        self.append = check("CSVLogger", "append", append, BOOLEAN)
        self._file = None
        self._writer = None
        self._keys: list[str] | None = None

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        resume = self.append and self.path.exists() and self.path.stat().st_size > 0
        self._file = open(self.path, "a" if resume else "w", newline="", encoding="utf-8")  # noqa: SIM115
        self._writer = None
        self._keys = None
        if resume:
            with open(self.path, encoding="utf-8") as existing:
                header = existing.readline().strip()
            self._keys = header.split(",")[1:] if header else None

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self._keys is None:
            self._keys = sorted(logs)
            csv.writer(self._file).writerow(["epoch", *self._keys])
        row = [epoch, *(logs.get(k, "") for k in self._keys)]
        csv.writer(self._file).writerow(row)
        self._file.flush()

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
