"""Mini-batches from a stream of chunks, shuffled through a bounded buffer.

An epoch visits the chunks in a seeded random order and pours their rows into a
buffer of ``buffer_rows`` rows. Whenever the buffer is full it is permuted and its
first rows leave as mini-batches, until half of it remains; the next chunks refill it.
At the end the rest is permuted and emitted. Every row is seen once per epoch, rows
from different chunks mix, and memory stays at about one buffer plus one chunk.

When the buffer can hold the whole training set, the epoch reads the chunks in file
order and draws a single permutation of all rows from the same generator, exactly as
:class:`~mlplab.data.DataLoader` does: training on the stream then equals training on
the arrays in memory, batch for batch.

Resuming mid-epoch: :meth:`StreamLoader.state_dict` holds the generator's state at the
start of the epoch and the number of batches already given out; a loader restored from
it replays the epoch's draws and skips those batches, so training continues with the
very batch that would have come next.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from mlplab.checks import POSITIVE_INT, SeedLike, as_generator, check

OWNER = "StreamLoader"


class StreamLoader:
    """Iterate ``(X_batch, y_batch)`` over the chunks ``chunks`` of an encoded source.

    Args:
        read: ``read(i) -> (X, y)``, the encoded chunk ``i``.
        chunk_rows: rows of every chunk of the source.
        chunks: the chunk indices this loader serves (a training part of the source).
        batch_size: rows per batch b (the last batch of an epoch may be shorter).
        shuffle: shuffle through the buffer; False reads chunks and rows in file order.
        buffer_rows: rows the shuffle buffer holds.
        seed: int, Generator or None (the Trainer passes its shuffling generator).
    """

    def __init__(self, read: Any, chunk_rows: np.ndarray, chunks: Sequence[int],
                 batch_size: int, shuffle: bool = True, buffer_rows: int = 262144,
                 seed: SeedLike = None) -> None:
        self._read = read
        self.chunks = np.asarray(chunks, dtype=np.int64)
        self.n = int(np.asarray(chunk_rows)[self.chunks].sum())
        self.batch_size = int(check(OWNER, "batch_size", batch_size, POSITIVE_INT))
        self.buffer_rows = int(check(OWNER, "buffer_rows", buffer_rows, POSITIVE_INT))
        self.shuffle = bool(shuffle)
        self._rng = as_generator(seed, owner=OWNER)
        self._epoch_state: dict | None = None
        self._skip = 0
        self.batches_done = 0

    def __len__(self) -> int:
        return -(-self.n // self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, Any]]:
        if self._skip:  # resuming: replay the saved epoch's draws
            self._rng.bit_generator.state = copy.deepcopy(self._epoch_state)
        self._epoch_state = copy.deepcopy(self._rng.bit_generator.state)
        skip, self._skip = self._skip, 0
        self.batches_done = 0
        for k, batch in enumerate(self._batches()):
            self.batches_done = k + 1
            if k >= skip:
                yield batch

    def _batches(self) -> Iterator[tuple[np.ndarray, Any]]:
        if not self.shuffle:
            yield from self._in_order()
        elif self.buffer_rows >= self.n:
            yield from self._whole_permutation()
        else:
            yield from self._buffered()

    def _in_order(self) -> Iterator[tuple[np.ndarray, Any]]:
        carry: list[tuple[np.ndarray, Any]] = []
        for i in self.chunks:
            carry.append(self._read(int(i)))
            X, y = _concat(carry)
            full = len(X) - len(X) % self.batch_size
            yield from _cut(X[:full], None if y is None else y[:full], self.batch_size)
            carry = [(X[full:], None if y is None else y[full:])]
        X, y = _concat(carry)
        if len(X):
            yield X, y

    def _whole_permutation(self) -> Iterator[tuple[np.ndarray, Any]]:
        X, y = _concat([self._read(int(i)) for i in self.chunks])
        order = self._rng.permutation(len(X))
        for start in range(0, len(X), self.batch_size):
            idx = order[start:start + self.batch_size]
            yield X[idx], None if y is None else y[idx]

    def _buffered(self) -> Iterator[tuple[np.ndarray, Any]]:
        # Each batch gathers its rows from the buffer by the permutation's indices, as
        # DataLoader does: the permuted buffer itself is never built (one copy less of
        # every row, per pass through the buffer), and the batches are the same.
        keep = self.buffer_rows // 2
        pool: list[tuple[np.ndarray, Any]] = []
        held = 0
        for i in self._rng.permutation(self.chunks):
            part = self._read(int(i))
            pool.append(part)
            held += len(part[0])
            if held < self.buffer_rows:
                continue
            merged = _concat(pool)
            del pool, part  # merged holds their rows
            order = self._rng.permutation(held)
            out = (held - keep) // self.batch_size * self.batch_size
            yield from _gather(merged, order[:out], self.batch_size)
            pool, held = [_take(merged, order[out:])], held - out  # the rows kept, copied
            del merged
        yield from _gather(_concat(pool), self._rng.permutation(held), self.batch_size)

    def state_dict(self) -> dict[str, Any]:
        """Where this epoch stands: the generator at its start and the batches given out."""
        state = self._epoch_state or self._rng.bit_generator.state
        return {"rng": copy.deepcopy(state), "batches_done": int(self.batches_done)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Continue the saved epoch at batch ``batches_done`` + 1 on the next iteration."""
        try:
            self._epoch_state = copy.deepcopy(state["rng"])
            self._skip = int(state["batches_done"])
            self._rng.bit_generator.state = copy.deepcopy(state["rng"])
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{OWNER}: not a StreamLoader state_dict ({err!r}); pass what "
                             "state_dict() returned") from None

    def __repr__(self) -> str:
        return (f"StreamLoader(rows={self.n}, chunks={len(self.chunks)}, batch_size="
                f"{self.batch_size}, shuffle={self.shuffle}, buffer_rows={self.buffer_rows})")


def _concat(parts: list[tuple[np.ndarray, Any]]) -> tuple[np.ndarray, Any]:
    if len(parts) == 1:
        return parts[0]
    X = np.concatenate([p[0] for p in parts])
    y = None if parts[0][1] is None else np.concatenate([p[1] for p in parts])
    return X, y


def _take(part: tuple[np.ndarray, Any], idx: np.ndarray) -> tuple[np.ndarray, Any]:
    X, y = part
    return X[idx], None if y is None else y[idx]


def _gather(part: tuple[np.ndarray, Any], order: np.ndarray, b: int
            ) -> Iterator[tuple[np.ndarray, Any]]:
    """Batches of b rows of ``part`` in the order ``order``: rows order[0:b], order[b:2b], …"""
    for start in range(0, len(order), b):
        yield _take(part, order[start:start + b])


def _cut(X: np.ndarray, y: Any, b: int) -> Iterator[tuple[np.ndarray, Any]]:
    for start in range(0, len(X), b):
        yield X[start:start + b], None if y is None else y[start:start + b]
