"""Ctrl-C during ``fit``: stop after the current batch, keep a checkpoint to resume from.

While ``fit`` runs (in the main thread, with Python's default SIGINT handler in
place), the first Ctrl-C only sets a flag; the loop stops at the end of the
current batch, so the weights and the optimizer's state are never left half
updated. A second Ctrl-C interrupts at once. A ``KeyboardInterrupt`` raised any
other way (by a callback, from another handler) is handled the same way.

``fit`` then asks every ``ModelCheckpoint`` for a file holding the state at the
end of the last completed epoch (see ``ModelCheckpoint.on_interrupt``) and raises
:class:`TrainingInterrupted`, which names that file. Resuming from it repeats
the interrupted epoch, so the resumed run equals an uninterrupted one bit for bit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class TrainingInterrupted(KeyboardInterrupt):
    """``fit`` was interrupted (Ctrl-C). Uncaught, it ends a program as Ctrl-C would.

    Attributes:
        epoch, batch: where training stopped (counting from 1).
        checkpoint: the file to resume from (``Trainer.resume``), or None when no
            ``ModelCheckpoint`` was configured.
        history: the History of the epochs completed before the interruption.
    """

    def __init__(self, epoch: int, batch: int, checkpoint: Path | None, history: Any) -> None:
        self.epoch, self.batch = epoch, batch
        self.checkpoint, self.history = checkpoint, history
        where = f"training interrupted at epoch {epoch}, batch {batch}"
        if checkpoint is None:
            advice = ("no checkpoint was written (add a ModelCheckpoint callback to be able "
                      "to resume)")
        else:
            advice = (f"resume with Trainer.resume({str(checkpoint)!r}) and the same fit "
                      f"call; epoch {epoch} starts again")
        super().__init__(f"{where}; {advice}")


class InterruptRequest:
    """Set by the deferred SIGINT handler; the training loop reads it after each batch."""

    requested = False


@contextmanager
def deferred_interrupt() -> Iterator[InterruptRequest]:
    """Turn the first Ctrl-C into a request to stop after the current batch."""
    request = InterruptRequest()
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield request  # someone else handles SIGINT: leave it to them
        return

    def ask_to_stop(signum: int, frame: Any) -> None:
        request.requested = True
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C: at once

    signal.signal(signal.SIGINT, ask_to_stop)
    try:
        yield request
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
