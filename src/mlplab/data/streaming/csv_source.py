"""CSV files read in blocks of lines: one scan finds where each block starts.

The scan reads the file once in 16 MiB pieces and records the byte offset of every
``rows_per_chunk``-th line, so any chunk can later be read on its own (in any order)
with one seek. It assumes one record per line (no line breaks inside quoted fields).
Column kinds come from the first block: a column that parses as numbers there is
numeric in every block (a later non-number is an error naming its line block).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from mlplab.checks import POSITIVE_INT, ParameterError, check
from mlplab.data.streaming.arrow import choose_columns, pyarrow_modules, table_chunk
from mlplab.data.streaming.source import Chunk, ChunkSource

OWNER = "CsvSource"
_SCAN_BYTES = 16 << 20


def line_offsets(path: Path, every: int) -> tuple[int, list[int], int]:
    """(bytes of the header line, byte offsets of data lines 0, every, 2·every, …, rows).

    Newline number 0 ends the header, so data line j starts right after newline j.
    """
    size = path.stat().st_size
    starts: list[int] = []
    newlines, position = 0, 0
    with open(path, "rb") as f:
        while block := f.read(_SCAN_BYTES):
            ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n"))
            numbers = newlines + np.arange(len(ends))
            starts += (position + ends[numbers % every == 0] + 1).tolist()
            newlines += len(ends)
            position += len(block)
        f.seek(max(size - 1, 0))
        unterminated = size > 0 and f.read(1) != b"\n"
    header = starts[0] if starts else size
    starts = [s for s in starts if s < size]
    rows = max(newlines - 1, 0) + (1 if unterminated and newlines else 0)
    return header, starts, rows


class CsvSource(ChunkSource):
    """A CSV file with a header line, read ``rows_per_chunk`` lines at a time (pyarrow).

    Args:
        path: the file.
        target: the target column's name (None: unlabelled rows).
        features: the feature columns, in order (default: every other column).
        rows_per_chunk: lines per chunk.
        delimiter: the field separator.
    """

    def __init__(self, path: str | Path, target: str | None = "label",
                 features: list[str] | None = None, rows_per_chunk: int = 65536,
                 delimiter: str = ",") -> None:
        pa, _ = pyarrow_modules()
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{OWNER}: no file {str(path)!r}; check the path")
        every = int(check(OWNER, "rows_per_chunk", rows_per_chunk, POSITIVE_INT))
        self.path, self._delimiter = str(path), delimiter
        header_end, starts, rows = line_offsets(path, every)
        if rows == 0:
            raise ParameterError(f"{OWNER}: {str(path)!r} has no data rows below its header; "
                                 "pass a CSV file with a header line and rows")
        self._starts = [*starts, path.stat().st_size]
        self.chunk_rows = np.diff(np.minimum(np.arange(len(starts) + 1) * every, rows))
        with open(path, "rb") as f:
            header = f.read(header_end).decode("utf-8-sig").strip()
        self._names = next(csv.reader([header], delimiter=delimiter))  # "quoted" names too
        first = self._parse(0, column_types=None)
        # a column empty throughout the first block is taken as numbers (all missing)
        types = [pa.float64() if pa.types.is_null(t) else t
                 for t in (first.column(n).type for n in self._names)]
        self.numeric_columns, self.categorical_columns = choose_columns(
            self._names, types, target, features, OWNER)
        self.target = target
        self._types = dict(zip(self._names, types, strict=True))

    def _parse(self, index: int, column_types: dict | None):
        import pyarrow.csv as pcsv

        with open(self.path, "rb") as f:
            f.seek(self._starts[index])
            data = f.read(self._starts[index + 1] - self._starts[index])
        try:
            return pcsv.read_csv(
                io.BytesIO(data),
                read_options=pcsv.ReadOptions(column_names=self._names),
                parse_options=pcsv.ParseOptions(delimiter=self._delimiter),
                convert_options=pcsv.ConvertOptions(column_types=column_types))
        except Exception as err:  # pyarrow's ArrowInvalid: a bad field, a short line
            first_line = 2 + int(self.chunk_rows[:index].sum())
            raise ParameterError(f"{OWNER}: {self.path!r} from line {first_line}: "
                                 f"{str(err).splitlines()[0]}") from None

    def read(self, index: int) -> Chunk:
        table = self._parse(index, column_types=self._types)
        return table_chunk(table, self.numeric_columns, self.categorical_columns, self.target)
