"""``.npy`` files read through memory mapping, one chunk of rows at a time.

Each read maps only the chunk's byte range (``np.memmap`` with an offset), copies it
and unmaps it, so the pages never accumulate in the process (a single map of a 4 GB
file would count every page read towards the resident memory until the end).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mlplab.checks import POSITIVE_INT, ParameterError, check
from mlplab.data.streaming.source import Chunk, ChunkSource, split_rows

OWNER = "NpySource"


def _header(path: Path) -> tuple[tuple[int, ...], np.dtype, bool, int]:
    """(shape, dtype, fortran_order, data offset) of a .npy file, without reading its data."""
    fmt = np.lib.format
    with open(path, "rb") as f:
        version = fmt.read_magic(f)
        if version not in ((1, 0), (2, 0)):
            raise ValueError(f"format version {version} (re-save it with numpy.save)")
        read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
        shape, fortran, dtype = read(f)
        return shape, dtype, fortran, f.tell()


class NpySource(ChunkSource):
    """Features from a 2-D ``.npy`` file (rows × features), targets from a 1-D one.

    Args:
        features: path of the (n, d) array; C order, a numeric dtype.
        targets: path of the (n,) targets, or None (then ``target_column`` names the
            column of ``features`` that holds them, e.g. -1 for the last one).
        target_column: see ``targets``; None and no ``targets`` means unlabelled rows.
        rows_per_chunk: rows read at a time.
    """

    def __init__(self, features: str | Path, targets: str | Path | None = None,
                 target_column: int | None = None, rows_per_chunk: int = 65536) -> None:
        self.path = str(features)
        self._files: dict[str, tuple[Path, np.dtype, int, tuple[int, ...]]] = {}
        self._rows_per_chunk = int(check(OWNER, "rows_per_chunk", rows_per_chunk, POSITIVE_INT))
        n, d = self._open(Path(features), ndim=2, what="features")
        self._has_targets = targets is not None
        if targets is not None and (m := self._open(Path(targets), 1, "targets")[0]) != n:
            raise ParameterError(f"{OWNER}: the targets file has {m} rows "
                                 f"but the features file has {n}; pass files of equal length")
        if target_column is not None:
            if targets is not None:
                raise ParameterError(f"{OWNER}: pass targets or target_column, not both")
            if not -d <= target_column < d:
                raise ParameterError(f"{OWNER}: target_column must be in [{-d}, {d - 1}] for "
                                     f"{d} columns, got {target_column}")
            target_column %= d
        self._target_column = target_column
        kept = [j for j in range(d) if j != target_column]
        self._kept = None if target_column is None else np.array(kept)
        self.numeric_columns = [f"x{j}" for j in kept]
        self.categorical_columns = []
        self.target = None if targets is None and target_column is None else "target"
        self.chunk_rows = split_rows(n, self._rows_per_chunk)

    def _open(self, path: Path, ndim: int, what: str) -> tuple[int, ...]:
        """Check the file's header and remember where its data start; return its shape."""
        if not path.is_file():
            raise FileNotFoundError(f"{OWNER}: no {what} file {str(path)!r}; check the path")
        try:
            shape, dtype, fortran, offset = _header(path)
        except ValueError as err:
            raise ParameterError(f"{OWNER}: {str(path)!r} is not a .npy file ({err}); "
                                 "write it with numpy.save") from None
        if len(shape) != ndim or fortran or dtype.hasobject:
            raise ParameterError(f"{OWNER}: the {what} file must hold a C-order numeric "
                                 f"{ndim}-D array, got shape {shape} dtype {dtype}"
                                 f"{' (Fortran order)' if fortran else ''}")
        self._files[what] = (path, dtype, offset, shape)
        return shape

    def _rows(self, what: str, start: int, stop: int) -> np.ndarray:
        path, dtype, offset, shape = self._files[what]
        row_shape = shape[1:]
        row_bytes = int(np.prod(row_shape, dtype=np.int64)) * dtype.itemsize
        mapped = np.memmap(path, dtype=dtype, mode="r", offset=offset + start * row_bytes,
                           shape=(stop - start, *row_shape))
        try:
            return np.array(mapped)  # a copy: the map is closed before the next chunk
        finally:
            del mapped

    def read(self, index: int) -> Chunk:
        start = int(self.chunk_rows[:index].sum())
        stop = start + int(self.chunk_rows[index])
        block = self._rows("features", start, stop)
        target = None
        if self._target_column is not None:
            target = block[:, self._target_column]
            block = block[:, self._kept]
        elif self._has_targets:
            target = self._rows("targets", start, stop)
        if block.dtype.kind != "f":
            block = block.astype(np.float64)
        return Chunk(block, {}, target)
