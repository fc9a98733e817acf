"""Write the epoch logs to a CSV file, one row per epoch."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path
from typing import Any

from mlplab.checks import BOOLEAN, check
from mlplab.train.callbacks.base import Callback, Logs


class CSVLogger(Callback):
    """Append ``epoch`` and every logged value to ``path`` after each epoch.

    The file is flushed after every row, so it can be watched while training runs
    and survives a crash. Its length after the last row and its columns are part of
    the checkpoint: a resumed run cuts off the rows written after the checkpoint (by
    the run that crashed) and appends from there, so the file ends up as an
    uninterrupted run would have written it.
    """

    def __init__(self, path: str | Path, append: bool = False) -> None:
        self.path = Path(path)
        self.append = check("CSVLogger", "append", append, BOOLEAN)
        self._file = None
        self._keys: list[str] | None = None
        self._size: int | None = None  # bytes in the file after the last row written
        self._restored = False

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._restored and self.trainer.resumed:
            self._reopen_at_checkpoint()
            return
        self._restored = False
        resume = self.append and self.path.exists() and self.path.stat().st_size > 0
        self._file = open(self.path, "a" if resume else "w", newline="", encoding="utf-8")  # noqa: SIM115
        self._keys = None
        if resume:
            with open(self.path, encoding="utf-8") as existing:
                header = existing.readline().strip()
            self._keys = header.split(",")[1:] if header else None
        self._size = self.path.stat().st_size

    def _reopen_at_checkpoint(self) -> None:
        """Continue the file where it was when the checkpoint was written."""
        self._restored = False
        size = self.path.stat().st_size if self.path.exists() else -1
        if self._size is None or size < self._size:
            warnings.warn(f"CSVLogger: {self.path} is shorter than when the checkpoint was "
                          "written; starting it anew", stacklevel=2)
            self._file = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self._keys, self._size = None, 0
            return
        with open(self.path, "r+b") as raw:
            raw.truncate(self._size)  # rows of epochs after the checkpoint are redone
        self._file = open(self.path, "a", newline="", encoding="utf-8")  # noqa: SIM115

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        logs = logs or {}
        if self._keys is None:
            self._keys = sorted(logs)
            csv.writer(self._file).writerow(["epoch", *self._keys])
        row = [epoch, *(logs.get(k, "") for k in self._keys)]
        csv.writer(self._file).writerow(row)
        self._file.flush()
        self._size = self.path.stat().st_size

    def on_train_end(self, logs: Logs | None = None) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def state_dict(self) -> dict[str, Any]:
        return {"size": self._size, "keys": self._keys}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self._size = None if state["size"] is None else int(state["size"])
        self._keys = None if state["keys"] is None else [str(k) for k in state["keys"]]
        self._restored = True
