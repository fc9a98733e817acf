"""Callbacks: no-op hooks around the thin training loop of ``Trainer.fit``.

The loop calls, in order: ``on_train_begin`` → for each epoch ``on_epoch_begin`` →
for each mini-batch ``on_batch_begin`` / ``on_batch_end`` → ``on_epoch_end`` →
``on_train_end``. A callback reads ``self.trainer`` (model, optimizer, history) and
asks the loop to stop by setting ``self.trainer.stop_training = True``. Each callback
resets its own state in ``on_train_begin`` so one instance can be reused, unless
``self.trainer.resumed`` says that the state was just restored from a checkpoint.
A Ctrl-C calls ``on_interrupt(epoch, batch)`` and then ``on_train_end``.

Callbacks run in the order given, except that those with a higher ``order`` run
after the others (``ModelCheckpoint``: the state it saves includes what every
other callback did at the end of the epoch).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Logs = dict[str, float]


class Callback:
    """Base class: override the hooks you need; ``self.trainer`` is set before training.

    A checkpoint stores each callback's ``state_dict()`` under its key: the class name,
    with ``":" + key`` when ``key`` is set, and "#2", "#3" for further callbacks of the
    same name. Set ``key`` when the list of callbacks may change between runs.
    """

    trainer: Any = None
    key: str | None = None
    order = 0

    def set_trainer(self, trainer: Any) -> None:
        self.trainer = trainer

    def on_train_begin(self, logs: Logs | None = None) -> None: ...
    def on_train_end(self, logs: Logs | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None: ...
    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None: ...
    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None: ...
    def on_interrupt(self, epoch: int, batch: int) -> None: ...

    # Resuming exactly: callbacks with state (best value so far, wait counter) save it here.
    def state_dict(self) -> dict[str, Any]:
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        return None


def keyed(callbacks: Iterable[Callback]) -> list[tuple[str, Callback]]:
    """Each callback with its stable key: 'EarlyStopping', 'EarlyStopping#2', 'CSVLogger:val'."""
    seen: dict[str, int] = {}
    pairs = []
    for cb in callbacks:
        name = type(cb).__name__ if cb.key is None else f"{type(cb).__name__}:{cb.key}"
        seen[name] = seen.get(name, 0) + 1
        pairs.append((name if seen[name] == 1 else f"{name}#{seen[name]}", cb))
    return pairs


class CallbackList(Callback):
    """Calls every callback's hook, in the given order sorted (stably) by ``order``."""

    def __init__(self, callbacks: Iterable[Callback] = ()) -> None:
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(
                    f"callbacks: {cb!r} is not a Callback; subclass "
                    "mlplab.train.callbacks.Callback and override its hooks"
                )
        self.callbacks.sort(key=lambda cb: cb.order)

    def set_trainer(self, trainer: Any) -> None:
        for cb in self.callbacks:
            cb.set_trainer(trainer)

    def _call(self, hook: str, *args: Any) -> None:
        for cb in self.callbacks:
            getattr(cb, hook)(*args)

    def on_train_begin(self, logs: Logs | None = None) -> None:
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: Logs | None = None) -> None:
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch: int, logs: Logs | None = None) -> None:
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        self._call("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch: int, logs: Logs | None = None) -> None:
        self._call("on_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: Logs | None = None) -> None:
        self._call("on_batch_end", batch, logs)

    def on_interrupt(self, epoch: int, batch: int) -> None:
        self._call("on_interrupt", epoch, batch)
