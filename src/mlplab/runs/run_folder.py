"""A run's folder over its life: opened when training starts, cleaned up or marked when the
run fails, ready to resume when it is interrupted.

- Nothing is created before the data is loaded and the network is built, so a
  mistake in the data or the settings leaves no folder behind.
- While training, the folder holds ``config.toml`` (written first, so an interrupted
  run can be resumed), ``history.csv`` and the best checkpoint; Ctrl-C adds
  :data:`RESUME_FILE`, the state at the end of the last finished epoch
  (``ModelCheckpoint`` writes it beside the best one).
- A run that fails before finishing an epoch in a folder of its own removes what it
  wrote: nothing is kept. Otherwise (epochs were trained, or the folder held an
  earlier run's files) the folder stays, with :data:`FAILED_FILE` saying what went
  wrong. Either way the error says which, through a note on the exception.
- A run that succeeds deletes :data:`RESUME_FILE` and any old :data:`FAILED_FILE`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["FAILED_FILE", "RESUME_FILE", "RunFolder", "resume_command"]

FAILED_FILE = "FAILED.txt"
RESUME_FILE = "checkpoint.last.safetensors"
"""The checkpoint at the end of the last finished epoch (the best one is checkpoint.safetensors)."""


def resume_command(run_dir: Path) -> str:
    """The command line that continues the run in ``run_dir``."""
    text = str(run_dir)
    return f"mlplab train --resume {text if ' ' not in text else repr(text)}"


class RunFolder:
    """The folder ``path`` of one run; remembers what was there before the run began."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.created = not self.path.exists()
        self.before = set() if self.created else {p.name for p in self._entries()}
        # the folders this run creates: the run folder and any missing parent (output_dir)
        missing = [self.path, *self.path.parents]
        self.new_folders = [f for f in missing if not f.exists()]

    def _entries(self) -> list[Path]:
        if not self.path.is_dir():
            raise NotADirectoryError(f"run folder: {self.path} exists and is not a folder; "
                                     "choose another name or output_dir")
        return list(self.path.iterdir())

    def open(self) -> None:
        """Create the folder (and its parents) and clear the mark of an earlier failure."""
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / FAILED_FILE).unlink(missing_ok=True)

    @property
    def resume_file(self) -> Path:
        return self.path / RESUME_FILE

    def finish(self) -> None:
        """The run succeeded: the state of its last epoch is no longer needed."""
        self.resume_file.unlink(missing_ok=True)
        (self.path / FAILED_FILE).unlink(missing_ok=True)

    def fail(self, err: BaseException, epochs_done: int) -> str:
        """Clean up or mark the folder after ``err``; return a sentence saying which."""
        if epochs_done == 0 and not self.before:
            self._remove_own_files()
            return f"nothing was kept: the run folder {self.path} was removed"
        message = " ".join(str(err).split()) or type(err).__name__
        lines = [f"This run failed: {type(err).__name__}: {message}"]
        if self.resume_file.is_file():
            lines.append(f"The state of the last finished epoch is in {RESUME_FILE}; after "
                         f"fixing the cause, continue with: {resume_command(self.path)}")
        (self.path / FAILED_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return (f"the run folder {self.path} is kept and marked as failed "
                f"({self.path / FAILED_FILE})")

    def interrupted(self) -> str:
        """Ctrl-C: say how to resume, or clean up when no epoch finished."""
        if self.resume_file.is_file():
            return (f"the state of the last finished epoch is in {self.resume_file}; resume "
                    f"with: {resume_command(self.path)}")
        if not self.before:
            self._remove_own_files()
            return f"no epoch had finished, so nothing was kept ({self.path} was removed)"
        return "no epoch had finished, so there is no checkpoint to resume from"

    def _remove_own_files(self) -> None:
        """Delete what this run wrote; the folder too when this run created it."""
        if not self.path.is_dir():
            return
        for entry in self.path.iterdir():
            if entry.name in self.before:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        for folder in self.new_folders:  # innermost first
            try:
                folder.rmdir()
            except OSError:  # someone else put a file there meanwhile: leave it
                return
