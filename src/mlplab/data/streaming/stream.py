"""A training set that stays on disk: a chunked source, its fitted encoder, and loaders.

>>> import numpy as np, tempfile, os
>>> folder = tempfile.mkdtemp()
>>> X = np.arange(20, dtype=np.float32).reshape(10, 2); y = np.arange(10) % 2
>>> np.save(os.path.join(folder, "X.npy"), X); np.save(os.path.join(folder, "y.npy"), y)
>>> stream = open_stream(f"npy:{folder}", rows_per_chunk=4)
>>> stream.n_rows, stream.n_features, stream.classes
(10, 2, [0, 1])
>>> [len(yb) for _, yb in stream.loader(batch_size=4, seed=0)]
[4, 4, 2]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mlplab.checks import FRACTION, POSITIVE_INT, ParameterError, SeedLike, as_generator, check
from mlplab.data.streaming.csv_source import CsvSource
from mlplab.data.streaming.encoder import StreamEncoder
from mlplab.data.streaming.npy_source import NpySource
from mlplab.data.streaming.parquet_source import ParquetSource
from mlplab.data.streaming.shuffle_buffer import StreamLoader
from mlplab.data.streaming.source import ChunkSource

FORMATS = ("npy", "parquet", "csv")
DEFAULT_BUFFER_ROWS = 262144


class Stream:
    """Rows read from ``source`` chunk by chunk, encoded by a one-pass ``encoder``.

    Pass a Stream to ``Trainer.fit`` in place of ``(X, y)``. ``chunks`` restricts it to
    part of the source (see :meth:`split_off`); ``buffer_rows`` sizes the shuffle buffer.
    Creating a Stream without an ``encoder`` fits one: one pass over its chunks.
    """

    def __init__(self, source: ChunkSource, task: str = "classify", standardize: bool = True,
                 buffer_rows: int = DEFAULT_BUFFER_ROWS, encoder: StreamEncoder | None = None,
                 chunks: Any = None) -> None:
        self.source = source
        self.buffer_rows = int(check("Stream", "buffer_rows", buffer_rows, POSITIVE_INT))
        self.chunks = np.arange(source.n_chunks) if chunks is None else np.asarray(chunks)
        if encoder is None:
            encoder = StreamEncoder(task, standardize)
            for i in self.chunks:
                encoder.partial_fit(source.read(int(i)))
            encoder.finish()
        self.encoder = encoder

    @property
    def n_rows(self) -> int:
        """Rows of this stream (its chunks only)."""
        return int(self.source.chunk_rows[self.chunks].sum())

    def __len__(self) -> int:
        return self.n_rows

    @property
    def n_features(self) -> int:
        """Width of the encoded feature matrix."""
        return self.encoder.n_features

    @property
    def classes(self) -> list[Any] | None:
        """The class labels (sorted) for a classifier, None for regression."""
        return self.encoder.classes

    @property
    def task(self) -> str:
        """``"classify"`` or ``"regression"``."""
        return self.encoder.task

    def read(self, index: int) -> tuple[np.ndarray, Any]:
        """Chunk ``index`` of the source, encoded."""
        return self.encoder.transform(self.source.read(index))

    def loader(self, batch_size: int = 32, shuffle: bool = True, seed: SeedLike = None,
               buffer_rows: int | None = None, dtype: Any = np.float32) -> StreamLoader:
        """Mini-batches over this stream's chunks (see :class:`StreamLoader`), X as ``dtype``."""
        def read(index: int) -> tuple[np.ndarray, Any]:
            X, y = self.read(index)
            return X.astype(dtype, copy=False), y

        return StreamLoader(read, self.source.chunk_rows, self.chunks, batch_size,
                            shuffle, buffer_rows or self.buffer_rows, seed)

    def split_off(self, fraction: float, seed: SeedLike = 0) -> tuple[Stream, Stream]:
        """(rest, held-out part): whole chunks drawn at random until ``fraction`` of the rows.

        Both parts share this stream's encoder (fit it on the training part for a clean
        dev set: ``Stream(source, chunks=rest.chunks)`` refits on those chunks only).
        """
        fraction = float(check("Stream.split_off", "fraction", fraction, FRACTION))
        rng = as_generator(seed, owner="Stream.split_off")
        order = rng.permutation(self.chunks)
        rows = np.cumsum(self.source.chunk_rows[order])
        taken = int(np.searchsorted(rows, fraction * self.n_rows)) + 1
        if fraction == 0 or taken >= len(order):
            raise ParameterError(f"Stream.split_off: fraction={fraction} leaves no chunk on one "
                                 f"side ({len(order)} chunks); pass a fraction in (0, 1) or "
                                 "smaller chunks")
        held, rest = np.sort(order[:taken]), np.sort(order[taken:])
        make = lambda part: Stream(self.source, buffer_rows=self.buffer_rows,  # noqa: E731
                                   encoder=self.encoder, chunks=part)
        return make(rest), make(held)

    def to_arrays(self) -> tuple[np.ndarray, Any]:
        """Every row in memory (for a dev set or a small source): ``(X, y)``."""
        parts = [self.read(int(i)) for i in self.chunks]
        X = np.concatenate([p[0] for p in parts])
        y = None if parts[0][1] is None else np.concatenate([p[1] for p in parts])
        return X, y

    def __repr__(self) -> str:
        return (f"Stream({self.source!r}, task={self.task!r}, rows={self.n_rows}, "
                f"features={self.n_features}, buffer_rows={self.buffer_rows})")


def open_source(spec: str, target: str | None = "label", rows_per_chunk: int = 65536,
                features: list[str] | None = None) -> ChunkSource:
    """The source ``FORMAT:PATH`` names: ``npy:`` (a folder with X.npy and y.npy, or one
    2-D file whose last column is the target), ``parquet:`` or ``csv:``."""
    kind, sep, path = spec.partition(":")
    if not sep or kind not in FORMATS:
        raise ParameterError(f"stream: data must be FORMAT:PATH with FORMAT one of "
                             f"{', '.join(FORMATS)}, got {spec!r}; e.g. parquet:data/train.parquet")
    if kind == "parquet":
        return ParquetSource(path, target=target, features=features)
    if kind == "csv":
        return CsvSource(path, target=target, features=features, rows_per_chunk=rows_per_chunk)
    folder = Path(path)
    if folder.is_dir():
        y = folder / "y.npy"
        return NpySource(folder / "X.npy", y if y.exists() else None,
                         rows_per_chunk=rows_per_chunk)
    return NpySource(path, target_column=None if target is None else -1,
                     rows_per_chunk=rows_per_chunk)


def open_stream(spec: str, task: str = "classify", target: str | None = "label",
                standardize: bool = True, buffer_rows: int = DEFAULT_BUFFER_ROWS,
                rows_per_chunk: int = 65536) -> Stream:
    """``Stream(open_source(spec, …))``: the one-call way to stream a file."""
    source = open_source(spec, target=target, rows_per_chunk=rows_per_chunk)
    return Stream(source, task=task, standardize=standardize, buffer_rows=buffer_rows)
