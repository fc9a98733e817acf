"""The search's progress bar: finished trials of N, and the best value so far."""

from __future__ import annotations

from typing import Any

__all__ = ["SearchProgress"]


class SearchProgress:
    """A rich progress bar over the study's finished trials (silent without a console).

    In one process it advances from Optuna's per-trial callback (:meth:`trial_done`);
    with worker processes the parent :meth:`poll`\\ s the storage. On a terminal the bar
    is live; in a log one line per finished trial is printed instead.
    """

    def __init__(self, study: Any, total: int, console: Any, label: str) -> None:
        self.study, self.total, self.console, self.label = study, total, console, label
        self._bar = None
        self._task = None
        self._shown = 0

    def __enter__(self) -> SearchProgress:
        if self.console is not None and self.console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), TextColumn("{task.fields[best]}"),
                                 console=self.console, transient=False)
            self._task = self._bar.add_task(self.label, total=self.total, best="")
            self._bar.start()
        self.poll()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.stop()

    def trial_done(self, study: Any, trial: Any) -> None:
        """Optuna callback: a trial of this process finished."""
        self.poll()

    def poll(self) -> None:
        """Read the study's finished trials and best value from the storage."""
        if self.console is None:
            return
        trials = self.study.get_trials(deepcopy=False)
        done = sum(t.state.name in ("COMPLETE", "PRUNED") for t in trials)
        complete = [t.value for t in trials if t.state.name == "COMPLETE"]
        best = ""
        if complete:
            pick = max if self.study.direction.name == "MAXIMIZE" else min
            best = f"best {pick(complete):.4g}"
        if self._bar is not None:
            self._bar.update(self._task, completed=min(done, self.total), best=best)
        elif done > self._shown:
            self._shown = done
            self.console.print(f"{self.label}: {min(done, self.total)}/{self.total} "
                               f"finished  {best}", highlight=False)
