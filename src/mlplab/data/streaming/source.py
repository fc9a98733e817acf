"""A table read one chunk at a time: the common face of the .npy, Parquet and CSV sources.

A *chunk* is a contiguous run of rows that a source can read on its own (a slice of a
``.npy`` file, a Parquet row group, a block of CSV lines). Reading chunk ``i`` gives a
:class:`Chunk`: the numeric feature columns as one float matrix, the text columns
(categories) by name, and the target column. Only one chunk at a time is in memory, so
a source serves a file of any size; the shuffle buffer (``shuffle_buffer.py``) mixes
rows across chunks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Chunk:
    """Rows of one chunk: ``numeric`` (rows, d) floats, ``categorical`` name → str array,
    ``target`` (rows,) or None when the source has no target column."""

    numeric: np.ndarray
    categorical: dict[str, np.ndarray] = field(default_factory=dict)
    target: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.numeric.shape[0])


class ChunkSource:
    """What every source provides. Subclasses set the attributes and implement ``read``.

    Attributes:
        path: the file (or folder) read.
        chunk_rows: (n_chunks,) int array, rows in each chunk; ``n_rows`` is their sum.
        numeric_columns / categorical_columns: feature names in the order ``read`` gives.
        target: the target column's name, or None.
    """

    path: str
    chunk_rows: np.ndarray
    numeric_columns: list[str]
    categorical_columns: list[str]
    target: str | None

    @property
    def n_chunks(self) -> int:
        """Number of chunks."""
        return len(self.chunk_rows)

    @property
    def n_rows(self) -> int:
        """Rows in the whole source."""
        return int(self.chunk_rows.sum())

    def read(self, index: int) -> Chunk:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.path!r}, rows={self.n_rows}, "
                f"chunks={self.n_chunks}, numeric={len(self.numeric_columns)}, "
                f"categorical={len(self.categorical_columns)}, target={self.target!r})")


def split_rows(n_rows: int, rows_per_chunk: int) -> np.ndarray:
    """Chunk sizes for ``n_rows`` rows cut every ``rows_per_chunk`` (the last may be short).

    >>> split_rows(10, 4).tolist()
    [4, 4, 2]
    """
    full, rest = divmod(n_rows, rows_per_chunk)
    return np.array([rows_per_chunk] * full + ([rest] if rest else []), dtype=np.int64)
