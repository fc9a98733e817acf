"""Exact resume: everything a Trainer needs to continue as if it had never stopped.

A checkpoint holds the weights, the optimizer's state (moments, step counts), the
state of every random generator (shuffling, augmentation, dropout), the History,
the epochs done and each callback's state (best value so far, patience counter);
one taken in the middle of an epoch on a stream also holds the stream position
(``stream_position``, see ``stream_fit.py``).
It is written as safetensors + JSON, atomically, never with pickle.

Callback states are matched to callbacks by a stable key (class name, optional
``key``, "#2" for a second one of the same name; see ``callbacks.base.keyed``), not
by position: a different list of callbacks never loads one callback's state into
another, and what does not match is reported in one ``ResumeWarning``.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Self

from mlplab.train.callbacks.base import keyed


class ResumeWarning(UserWarning):
    """A resumed Trainer's callbacks do not match those whose state the checkpoint holds."""


def callback_states(callbacks: list[Any]) -> dict[str, Any]:
    """Key → state of every callback that has one (stateless ones are left out)."""
    return {key: state for key, cb in keyed(callbacks) if (state := cb.state_dict())}


def load_callback_states(callbacks: list[Any], saved: Any) -> None:
    """Give each callback the state saved under its key; warn once about the rest."""
    if not isinstance(saved, dict):  # older files kept a list, matched by position
        saved = {}
        problems = ["the checkpoint lists callback states by position (an older mlplab); "
                    "none is restored"]
    else:
        problems = []
    current = keyed(callbacks)
    for key, cb in current:
        if key in saved:
            cb.load_state_dict(saved[key])
        elif cb.state_dict():
            problems.append(f"{key} has no saved state (it starts afresh)")
    names = {key for key, _ in current}
    problems += [f"{key} is saved but no callback has that key (its state is not used)"
                 for key in saved if key not in names]
    if problems:
        warnings.warn(ResumeWarning("Trainer.resume: the callbacks do not match the "
                                    "checkpoint: " + "; ".join(problems)), stacklevel=4)


class Checkpointing:
    """The checkpoint half of ``Trainer``: ``state_dict``, ``save_checkpoint``, ``resume``.

    ``resumed`` is True from ``load_state_dict``/``resume`` until the next ``fit`` ends,
    so callbacks keep their restored state instead of starting afresh.
    """

    _resumed = False
    _saved_position: dict[str, Any] | None = None  # a loaded mid-epoch stream position

    @property
    def resumed(self) -> bool:
        """True when the next (or current) ``fit`` continues a loaded checkpoint."""
        return self._resumed

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue training exactly: weights, optimizer, RNGs, history."""
        state = {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epochs_done": self.epochs_done,
            "history": self.history.state_dict(),
            "rng": {"shuffle": self._shuffle_rng.bit_generator.state,
                    "augment": self._augment_rng.bit_generator.state,
                    "modules": self.model.rng_state()},
            "callbacks": callback_states(self.callbacks),
            "initial_loss": self._explosion.initial_loss,
        }
        position = self.stream_position()
        if position is not None:
            state["stream_position"] = position
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned; the next ``fit`` continues from it."""
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.epochs_done = int(state["epochs_done"])
        self.history.load_state_dict(state["history"])
        self._shuffle_rng.bit_generator.state = state["rng"]["shuffle"]
        self._augment_rng.bit_generator.state = state["rng"]["augment"]
        self.model.set_rng_state(state["rng"]["modules"])
        load_callback_states(self.callbacks, state.get("callbacks", {}))
        initial = state.get("initial_loss")
        self._explosion.initial_loss = None if initial is None else float(initial)
        self._saved_position = state.get("stream_position")
        self._resume_at = None
        self._resumed = True

    def save_checkpoint(self, path: str | Path) -> Path:
        """Write ``state_dict()`` atomically to ``path`` (safetensors + JSON, never pickle)."""
        from mlplab.io import save_state

        return save_state(self.state_dict(), path, kind="checkpoint")

    def resume(self, path: str | Path) -> Self:
        """Load a checkpoint written by ``ModelCheckpoint``/``save_checkpoint``; ``fit`` then
        continues from the saved epoch as if training had never stopped."""
        from mlplab.io import restore

        return restore(self, path, kind="checkpoint")  # all or nothing; ModelFileError if bad
