"""Reading CSV files: :func:`load_csv` turns a file into an encoded :class:`TabularData`.

The reading itself is the standard library's ``csv`` module (quotes, embedded
delimiters) plus the conventions of the UCI repository: no header row, ", "
separators, comment lines starting with ``|``. The encoding of the columns
(one-hot, imputation, class ids) is :class:`~mlplab.data.tabular.TabularEncoder`.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.data.tabular import (
    MISSING_TOKENS,
    TabularData,
    TabularEncoder,
    _get_column,
    _is_number,
)

__all__ = ["load_csv", "read_csv_columns", "text_encoding"]


def read_csv_columns(
    path: str | os.PathLike,
    *,
    names: Sequence[str] | None = None,
    header: bool | None = None,
    delimiter: str = ",",
    comment: str | None = "|",
    encoding: str = "utf-8",
) -> dict[str, np.ndarray]:
    """Read a CSV file into ``{column name: array of stripped strings}``.

    ``header=None`` means: read names from the first row unless ``names`` is
    given. Blank lines and lines starting with ``comment`` are skipped.
    """
    path = Path(path)
    rows = _read_rows(path, delimiter, comment, encoding)
    if header is None:
        header = names is None
    if header:
        if not rows:
            raise ValueError(f"{path}: the file is empty; expected a header row")
        file_names = [h.strip() for h in rows[0]]
        rows = rows[1:]
        if names is None:
            names = file_names
    if names is None:
        names = [str(i) for i in range(len(rows[0]) if rows else 0)]
    names = list(names)
    if len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"{path}: duplicate column names {dupes}; pass unique names=")
    if not rows:
        raise ValueError(f"{path}: no data rows")
    width = len(names)
    if any(len(row) != width for row in rows):
        i, row = next((i, r) for i, r in enumerate(rows) if len(r) != width)
        raise ValueError(
            f"{path}: data row {i + 1} has {len(row)} fields, expected {width} "
            f"({', '.join(names[:5])}{', …' if width > 5 else ''}); check the delimiter "
            "and the names= argument"
        )
    cells = np.char.strip(np.array(rows, dtype=str))
    return {name: cells[:, j] for j, name in enumerate(names)}


def text_encoding(encoding: str) -> str:
    """'utf-8-sig' for UTF-8: a byte order mark that Excel and Notepad write before the
    first column's name is dropped instead of becoming part of that name."""
    return "utf-8-sig" if encoding.lower().replace("-", "").replace("_", "") == "utf8" \
        else encoding


def _read_rows(path: Path, delimiter: str, comment: str | None, encoding: str
               ) -> list[list[str]]:
    """The rows of a CSV file, blank and comment lines skipped; one-line errors for a path
    that is a folder or missing, and for bytes that are not in ``encoding``."""
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a CSV file; pass the file inside it")
    if not path.is_file():
        raise FileNotFoundError(f"CSV file not found: {path}; check the path")
    try:
        with open(path, newline="", encoding=text_encoding(encoding)) as fh:
            lines = (ln for ln in fh if ln.strip() and not (comment and ln.startswith(comment)))
            return list(csv.reader(lines, delimiter=delimiter, skipinitialspace=True))
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not {encoding} text (byte {err.object[err.start]:#04x} at "
                         f"offset {err.start}); is it a CSV file? Convert it to {encoding} "
                         "(e.g. iconv -f latin1 -t utf-8) or pass encoding=") from None
    except csv.Error as err:
        raise ValueError(f"{path}: not a readable CSV file ({err})") from None


def load_csv(
    path: str | os.PathLike,
    target: str | None = None,
    *,
    names: Sequence[str] | None = None,
    header: bool | None = None,
    delimiter: str = ",",
    categorical: Sequence[str] = (),
    drop: Sequence[str] = (),
    missing_values: Sequence[str] = MISSING_TOKENS,
    categorical_missing: str = "category",
    encoder: TabularEncoder | None = None,
    comment: str | None = "|",
    encoding: str = "utf-8",
) -> TabularData:
    """Read a CSV file of numeric and categorical columns into a :class:`TabularData`.

    Args:
        path: the CSV file.
        target: name of the label column (None: no labels, e.g. for prediction).
            With ``encoder`` given, y is read whenever the file has the
            encoder's target column.
        names: column names for a file without a header (UCI style).
        header: whether the first row holds names; default: yes unless ``names``.
        delimiter: field separator; spaces after it are skipped.
        categorical: see :class:`TabularEncoder` (as the next three); used only
            when fitting a new encoder.
        drop: see :class:`TabularEncoder`.
        missing_values: see :class:`TabularEncoder`.
        categorical_missing: see :class:`TabularEncoder`.
        encoder: a fitted encoder (e.g. ``train.encoder``) to apply instead of
            fitting one — always pass the training file's encoder for dev/test.
        comment: lines starting with this are skipped.

    Returns:
        TabularData with X (n, d) float32, y (n,) int64 (or None), the feature and
        class names, the missing/unknown value report and the encoder.

    Example (UCI Adult)::

        train = load_csv("adult.data", "income", names=ADULT_COLUMNS)
        test = load_csv("adult.test", names=ADULT_COLUMNS, encoder=train.encoder)
    """
    table = read_csv_columns(
        path, names=names, header=header, delimiter=delimiter, comment=comment, encoding=encoding
    )
    if encoder is None:
        _require_target(table, target, headerless=names is None and header is None)
        encoder = TabularEncoder(
            target, categorical=categorical, drop=drop, missing_values=missing_values,
            categorical_missing=categorical_missing,
        ).fit(table)
    else:
        _check_encoder(table, target, encoder)
    try:
        return encoder.transform(table)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from None


def _require_target(table: dict[str, np.ndarray], target: str | None, headerless: bool) -> None:
    """The target column exists; when it does not, say which columns do."""
    if target is None or target in table:
        return
    hint = ""
    if headerless and any(map(_is_number, table)):
        hint = "; the first row looks like data: pass names=[...] for a file without a header"
    try:
        _get_column(table, target, "target")  # lists the available columns
    except ValueError as err:
        raise ValueError(f"{err}{hint}") from None


def _check_encoder(table: dict[str, np.ndarray], target: str | None, encoder: Any) -> None:
    """A fitted encoder given to ``load_csv`` agrees with ``target`` and the file."""
    if not isinstance(encoder, TabularEncoder):
        raise TypeError(f"encoder: expected a TabularEncoder, got {type(encoder).__name__}")
    if target is not None and target != encoder.target:
        raise ValueError(
            f"target: {target!r} differs from the encoder's target {encoder.target!r}; "
            "omit target= when passing encoder="
        )
    if target is not None:
        _get_column(table, target, "target")
