"""A live progress bar for training (rich): batches, ETA, smoothed loss and metrics."""

from __future__ import annotations

import sys
from typing import Any

from mlplab.checks import OneOf, check
from mlplab.optim.ewma import EWMA
from mlplab.train.callbacks.base import Callback, Logs


class ProgressBar(Callback):
    """Epoch/batch progress with ETA, EWMA-smoothed loss and the epoch's metrics.

    Args:
        verbose: 0 silent, 1 a live bar per epoch, 2 one line per epoch.
        smoothing: β of the bias-corrected moving average of the loss shown while the epoch
            runs (the exponentially weighted average v_t = β v_{t−1} + (1 − β) θ_t,
            ``ml.optim.EWMA``).
        force: show the live bar even when the output is not a terminal.

    It stays quiet when ``verbose=0`` or when the output is not a terminal (CI logs);
    then ``verbose=2`` still prints one summary line per epoch. Stopping the live bar is
    idempotent and always shows the cursor again, even when a Ctrl-C interrupted rich
    halfway through starting or stopping it.
    """

    def __init__(self, verbose: int = 1, smoothing: float = 0.98, force: bool = False,
                 console: Any = None) -> None:
        self.verbose = check("ProgressBar", "verbose", verbose, OneOf((0, 1, 2), example="2"))
        self.smoothing = smoothing
        self.force = force
        self.console = console
        self._progress = None
        self._task = None
        self._epochs = 0
        self._ewma = EWMA(smoothing)
        self._running = False  # between on_train_begin and the first on_train_end

    def _live(self) -> bool:
        return self.verbose == 1 and (self.force or sys.stderr.isatty())

    def on_train_begin(self, logs: Logs | None = None) -> None:
        if self.verbose == 0:
            return
        from rich.console import Console

        if self.console is None:
            self.console = Console(stderr=True)
        self._epochs = self.trainer.settings.epochs
        self._running = True

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._ewma = EWMA(self.smoothing)
        self._stop_live()  # never two live bars, whatever happened to the last epoch
        if not self._live():
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn(f"epoch {epoch + 1}/{self._epochs}"), BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
            TextColumn("{task.fields[stats]}"), console=self.console, transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("train", total=self.trainer.settings.steps,
                                             stats="")

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        loss = (logs or {}).get("loss")
        smoothed = self._ewma.update(loss) if loss is not None else None
        if self._progress is not None:
            stats = "" if smoothed is None else f"loss {smoothed:.4f}"
            self._progress.update(self._task, advance=1, stats=stats)

    def _stop_live(self) -> None:
        """Stop the live bar once; safe to call again, and after a half-done start."""
        progress, self._progress = self._progress, None  # a second call finds nothing
        if progress is None:
            return
        try:
            progress.stop()
        except IndexError:
            # an interrupt between rich's Live.start setting its flag and pushing its
            # render hook leaves nothing to pop ("pop from empty list"); nothing to undo
            pass
        finally:
            progress.console.show_cursor(True)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        summary = "  ".join(f"{k} {v:.4g}" for k, v in (logs or {}).items())
        self._stop_live()
        if self.console is not None and (self._live() or self.verbose == 2):
            self.console.print(f"epoch {epoch + 1}/{self._epochs}  {summary}", highlight=False)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self._stop_live()
        if not self._running:
            return
        self._running = False
        reason = getattr(self.trainer.history, "stopped_reason", None)
        if reason and self.verbose and self.console is not None:
            self.console.print(f"[dim]{reason}[/dim]", highlight=False)
