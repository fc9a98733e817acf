"""``Trainer.fit`` on a :class:`~mlplab.data.streaming.Stream`: data that stay on disk.

The loader is the stream's shuffle-buffer loader, drawing from the Trainer's shuffling
generator (so a seeded run is reproducible, and a stream whose buffer holds every row
trains exactly as the same arrays in memory). The first rows are checked once against
the model, as in-memory data are; the dev set (``validation_data``) is in memory.
Training metrics other than the loss are left out on a stream: they would need every
output of the epoch kept; the dev set's metrics are computed as usual.
"""

from __future__ import annotations

from typing import Any

from mlplab.checks import ParameterError


def stream_loader(trainer: Any, stream: Any, y: Any, batch_size: int | None,
                  validation_data: Any, validation_split: float, shuffle: bool) -> tuple:
    """(loader, dev set) for fitting ``trainer`` on ``stream``."""
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
    return loader, val
