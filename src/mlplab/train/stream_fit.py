"""``Trainer.fit`` on a :class:`~mlplab.data.streaming.Stream`: data that stay on disk.

The loader is the stream's shuffle-buffer loader, drawing from the Trainer's shuffling
generator (so a seeded run is reproducible, and a stream whose buffer holds every row
trains exactly as the same arrays in memory). The first rows are checked once against
the model, as in-memory data are; the dev set (``validation_data``) is in memory.
Training metrics other than the loss are left out on a stream: they would need every
output of the epoch kept; the dev set's metrics are computed as usual.

Resuming mid-epoch. An epoch over a large file is long, so a checkpoint may be taken
inside one (``ModelCheckpoint(every_batches=N)``, or ``trainer.save_checkpoint`` from
a callback's ``on_batch_end``). The Trainer's state then holds the stream position:
the epoch, the batches done, the running loss sum of the epoch, and the loader's state
(the shuffling generator at the epoch's start, from which the chunk order and every
shuffle-buffer permutation are drawn again). The next ``fit`` on the same stream
replays the epoch's draws, reading the chunks again but skipping the batches already
trained, and continues with the very next batch: the final weights equal those of the
uninterrupted run bit for bit.
"""

from __future__ import annotations

from typing import Any

from mlplab.checks import ParameterError


def stream_loader(trainer: Any, stream: Any, y: Any, batch_size: int | None,
                  validation_data: Any, validation_split: float, shuffle: bool) -> tuple:
    """(loader, dev set, the first rows) for fitting ``trainer`` on ``stream``."""
    if y is not None:
        raise ParameterError("Trainer.fit: a Stream carries its own targets; pass "
                             "fit(stream) without y")
    if validation_split:
        raise ParameterError("Trainer.fit: validation_split needs the rows in memory; hold "
                             "out whole chunks with stream.split_off(0.1) and pass "
                             "validation_data=dev.to_arrays()")
    first_X, first_y = stream.read(int(stream.chunks[0]))
    trainer.check_data(first_X[:256], first_y[:256])
    classes = stream.classes
    if classes is not None and trainer.task.is_classifier:
        trainer.check_data(first_X[:1], first_y[:1] * 0 + len(classes) - 1)  # widest label
    val = None
    if validation_data is not None:
        val = trainer.check_data(*validation_data, names=("validation X", "validation y"))
    loader = stream.loader(batch_size=batch_size or stream.n_rows, shuffle=shuffle,
                           seed=trainer._shuffle_rng, dtype=trainer.dtype)
    first_rows = (first_X[:1024].copy(), first_y[:1024].copy())  # not the whole chunk
    return loader, val, first_rows


def stream_position(loader: Any, epoch: int, loss_sum: float, seen: int) -> dict[str, Any]:
    """Where a stream epoch stands, for a checkpoint (see the module docstring)."""
    return {"epoch": int(epoch), "loss_sum": float(loss_sum), "seen": int(seen),
            "rows": int(loader.n), "batch_size": int(loader.batch_size),
            "shuffle": bool(loader.shuffle), "buffer_rows": int(loader.buffer_rows),
            "loader": loader.state_dict()}


def continue_position(saved: dict[str, Any] | None, loader: Any, streaming: bool,
                      epochs: range) -> dict[str, Any] | None:
    """Set ``loader`` to continue the saved mid-epoch position; None when there is none.

    Raises ``ParameterError`` when the fit cannot continue it: other data, another batch
    size or buffer, or an epoch that this fit does not train.
    """
    if saved is None:
        return None
    where = f"the checkpoint was taken in epoch {saved['epoch'] + 1}, mid-way through a stream"
    if not streaming:
        raise ParameterError(f"Trainer.fit: {where}; continue it with fit(stream) on the "
                             "same stream (arrays in memory cannot resume mid-epoch)")
    now = {"rows": loader.n, "batch_size": loader.batch_size, "shuffle": loader.shuffle,
           "buffer_rows": loader.buffer_rows}
    changed = [f"{k}={now[k]} (saved {saved[k]})" for k in now if now[k] != saved[k]]
    if changed:
        raise ParameterError(f"Trainer.fit: {where}, and this fit differs: "
                             f"{', '.join(changed)}; resume with the same stream and fit "
                             "arguments")
    if saved["epoch"] not in epochs:
        raise ParameterError(f"Trainer.fit: {where}, which this fit does not train "
                             f"(epochs {epochs.start + 1}..{epochs.stop}); leave "
                             "initial_epoch out")
    loader.load_state_dict(saved["loader"])
    return saved
