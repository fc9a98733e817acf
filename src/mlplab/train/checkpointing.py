"""Exact resume: everything a Trainer needs to continue as if it had never stopped.

A checkpoint holds the weights, the optimizer's state (moments, step counts), the
state of every random generator (shuffling, augmentation, dropout), the History,
the epochs done and each callback's state (best value so far, patience counter).
It is written as safetensors + JSON, atomically, never with pickle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self


class Checkpointing:
    """The checkpoint half of ``Trainer``: ``state_dict``, ``save_checkpoint``, ``resume``.

    ``resumed`` is True from ``load_state_dict``/``resume`` until the next ``fit`` ends,
    so callbacks keep their restored state instead of starting afresh.
    """

    _resumed = False

    @property
    def resumed(self) -> bool:
        """True when the next (or current) ``fit`` continues a loaded checkpoint."""
        return self._resumed

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue training exactly: weights, optimizer, RNGs, history."""
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epochs_done": self.epochs_done,
            "history": self.history.state_dict(),
            "rng": {"shuffle": self._shuffle_rng.bit_generator.state,
                    "augment": self._augment_rng.bit_generator.state,
                    "modules": self.model.rng_state()},
            "callbacks": [cb.state_dict() for cb in self.callbacks],
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned; the next ``fit`` continues from it."""
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.epochs_done = int(state["epochs_done"])
        self.history.load_state_dict(state["history"])
        self._shuffle_rng.bit_generator.state = state["rng"]["shuffle"]
        self._augment_rng.bit_generator.state = state["rng"]["augment"]
        self.model.set_rng_state(state["rng"]["modules"])
        for cb, cb_state in zip(self.callbacks, state.get("callbacks", []), strict=False):
            cb.load_state_dict(cb_state)
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
