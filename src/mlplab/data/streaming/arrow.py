"""pyarrow, imported on first use, and the conversion of an Arrow table to a :class:`Chunk`."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.data.streaming.source import Chunk

MISSING = "<missing>"


def pyarrow_modules() -> Any:
    """``(pyarrow, pyarrow.compute)``, or one line saying how to install pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        raise ImportError("streaming Parquet and CSV files needs pyarrow: "
                          "pip install 'mlplab[stream]'") from None
    return pa, pc


def is_numeric(arrow_type: Any) -> bool:
    """Integers, floats and booleans are numeric features; everything else is a category."""
    import pyarrow.types as t

    return t.is_integer(arrow_type) or t.is_floating(arrow_type) or t.is_boolean(arrow_type)


def table_chunk(table: Any, numeric: list[str], categorical: list[str],
                target: str | None) -> Chunk:
    """Split an Arrow table into the numeric matrix, the category columns and the target."""
    pa, pc = pyarrow_modules()

    def floats(name: str, keep_float: bool = False) -> np.ndarray:
        column = table.column(name)
        if pa.types.is_boolean(column.type):
            column = column.cast(pa.int8())
        values = column.to_numpy(zero_copy_only=False)
        if keep_float and values.dtype.kind == "f":  # float32 features stay float32
            return values
        return values.astype(np.float64, copy=False)

    def strings(name: str) -> np.ndarray:
        column = pc.fill_null(table.column(name).cast(pa.string()), MISSING)
        return np.asarray(column.to_numpy(zero_copy_only=False), dtype=str)

    rows = table.num_rows
    matrix = (np.column_stack([floats(c, keep_float=True) for c in numeric]) if numeric
              else np.empty((rows, 0)))
    y = None
    if target is not None:
        kind = table.column(target).type
        y = floats(target) if is_numeric(kind) else strings(target)
    return Chunk(matrix, {c: strings(c) for c in categorical}, y)


def choose_columns(names: list[str], types: list[Any], target: str | None,
                   features: list[str] | None, owner: str) -> tuple[list[str], list[str]]:
    """(numeric, categorical) feature names: ``features`` (all but the target by default)."""
    from mlplab.checks import ParameterError, did_you_mean

    kinds = dict(zip(names, types, strict=True))
    for name in ([target] if target is not None else []) + list(features or []):
        if name not in kinds:
            raise ParameterError(f"{owner}: no column {name!r}; the file has "
                                 f"{len(names)} columns{did_you_mean(name, names)}")
    chosen = list(features) if features is not None else [n for n in names if n != target]
    numeric = [n for n in chosen if is_numeric(kinds[n])]
    return numeric, [n for n in chosen if n not in numeric]
