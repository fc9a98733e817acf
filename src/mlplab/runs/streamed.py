"""Runs on files larger than memory: ``stream = true`` (``mlplab train --data npy:PATH``).

The training file is never loaded whole. Its chunks (slices of a ``.npy`` file, row
groups of a Parquet file, blocks of CSV lines) are split at random, seeded by
``seed``, into whole-chunk dev, test and training parts of about ``validation_split``,
``test_split`` and the rest of the rows. The preprocessing (standardization, one-hot
categories, class ids) is fitted in one pass over the training chunks only, and
training reads them through the shuffle buffer (:class:`mlplab.data.Stream`); a
checkpoint is written every :data:`CHECKPOINT_BATCHES` batches, so Ctrl-C and
``--resume`` lose at most that many.

The dev and test parts are read into memory (keep their fractions small for a very
large file). The training split's loss and accuracy are computed chunk by chunk:
both are means over the rows, so the chunk-size-weighted mean of the chunks' values
is the value over the whole split.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.checks import did_you_mean
from mlplab.data.streaming import CsvSource, ParquetSource, Stream, open_source
from mlplab.data.tabular import listed

__all__ = ["CHECKPOINT_BATCHES", "CHUNK_ROWS", "ScaledTargets", "StreamedData", "evaluate_stream",
           "load_streamed", "open_run_source", "split_chunks"]

CHUNK_ROWS = 65536
"""Rows per chunk of ``.npy`` and CSV files (a Parquet file's row groups are its chunks),
at most; a smaller file is cut into :data:`MIN_CHUNKS` chunks, so that whole chunks can
make dev and test parts of about the fractions asked."""
MIN_CHUNKS = 100
BUFFER_ROWS = 262144
"""Rows of the shuffle buffer: about 64 MiB for 64 float32 features."""
CHECKPOINT_BATCHES = 2000
"""Batches between the mid-epoch checkpoints of a streamed run."""


def _column_names(kind: str, path: Path) -> list[str]:
    """The columns of a Parquet or CSV file (its schema or header line), read cheaply."""
    if kind == "parquet":
        from mlplab.data.streaming.arrow import pyarrow_modules

        pyarrow_modules()
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as err:  # pyarrow's ArrowInvalid for a file that is not Parquet
            raise ValueError(f"data: {path} is not a Parquet file "
                             f"({str(err).splitlines()[0]})") from None
    import csv

    try:
        with open(path, encoding="utf-8-sig") as f:
            return [name.strip() for name in next(csv.reader([f.readline().strip()]))]
    except UnicodeDecodeError:
        raise ValueError(f"data: {path} is not a UTF-8 text file; pass a CSV file with a "
                         "header line") from None


def _finer(source: Any, reopen: Any) -> Any:
    """``source``, or the same file cut into :data:`MIN_CHUNKS` chunks when it has fewer."""
    if source.n_chunks >= MIN_CHUNKS:
        return source
    return reopen(max(1, math.ceil(source.n_rows / MIN_CHUNKS)))


def open_run_source(spec: Any) -> Any:
    """The chunked source of ``npy:``, ``parquet:`` or ``csv:`` data, its target checked.

    The target of a table is ``target=COL`` or its last column (as for ``csv:`` in
    memory); ``drop=COL`` leaves columns out. ``npy:FOLDER`` reads X.npy and y.npy,
    ``npy:FILE.npy`` a 2-D array whose last column is the target.
    """
    kind, path = spec.kind, Path(spec.path)
    if not path.exists():
        raise FileNotFoundError(f"data: {kind} file not found: {path}; check the path in "
                                f"'{kind}:{spec.path}'")
    if kind == "npy":
        if path.is_dir() and (path / "X.npy").is_file() and not (path / "y.npy").is_file():
            raise ValueError(f"data: {path} has X.npy but no y.npy; save the targets as "
                             "y.npy beside it, or pass one .npy file whose last column is "
                             "the target")
        def npy(rows: int) -> Any:
            return open_source(f"npy:{path}", rows_per_chunk=rows)

        return _finer(npy(CHUNK_ROWS), npy)
    if not path.is_file():
        raise IsADirectoryError(f"data: {path} is a folder; write '{kind}:FOLDER/FILE'")
    names = _column_names(kind, path)
    target = spec.options.get("target") or names[-1]
    for role, name in (("target", target), *(("drop", c) for c in spec.dropped)):
        if name not in names:
            raise ValueError(f"data: {path} has no {role} column {name!r}; its columns are "
                             f"{listed(names)}{did_you_mean(name, names)}; write "
                             f"'{kind}:{spec.path},{role}=COLUMN'")
    features = [n for n in names if n != target and n not in spec.dropped]
    if not features:
        raise ValueError(f"data: {path} has no feature columns besides the target {target!r}")
    if kind == "parquet":
        return ParquetSource(path, target=target, features=features)
    def csv(rows: int) -> Any:
        return CsvSource(path, target=target, features=features, rows_per_chunk=rows)

    return _finer(csv(CHUNK_ROWS), csv)


def split_chunks(chunk_rows: np.ndarray, fractions: list[float], seed: int,
                 where: str) -> list[np.ndarray]:
    """Chunk indices of parts of about ``fractions`` of the rows, then the rest (training).

    Whole chunks are drawn in a seeded random order until a part has ⌈f·n⌉ rows or
    more; a fraction of 0 gives an empty part.
    """
    order = np.random.default_rng(seed).permutation(len(chunk_rows))
    total, start, parts = int(chunk_rows.sum()), 0, []
    for fraction in fractions:
        taken = 0
        if fraction:
            rows = np.cumsum(chunk_rows[order[start:]])
            taken = int(np.searchsorted(rows, math.ceil(fraction * total))) + 1
        parts.append(np.sort(order[start:start + taken]))
        start += taken
    if start >= len(order):
        raise ValueError(f"data: {where} has {len(order)} chunk(s) of rows, and the dev and "
                         "test parts take whole chunks, leaving none to train on; lower "
                         "validation_split and test_split, or write the file in more, "
                         "smaller row groups")
    return [*parts, np.sort(order[start:])]


class StreamedData:
    """A streamed run's data: the training Stream, the dev and test parts in memory.

    For ``task = "regression"`` the targets stay in their units here (the encoder also
    gives their mean and deviation, ``train.encoder.target_mean`` / ``target_std``);
    the regression task scales them (:class:`ScaledTargets`)."""

    def __init__(self, config: Any) -> None:
        spec = config.data_spec
        self.source = open_run_source(spec)
        dev, test, train = split_chunks(self.source.chunk_rows,
                                        [config.validation_split, config.test_split],
                                        config.seed, f"{spec.kind}:{spec.path}")
        self.task = "regression" if config.task == "regression" else "classify"
        self.train = Stream(self.source, task=self.task, standardize=bool(config.standardize),
                            buffer_rows=BUFFER_ROWS, chunks=train)
        encoder = self.train.encoder
        self.class_names: list[str] = []
        if self.task == "classify":
            self._check_classes(encoder.classes, f"{spec.kind}:{spec.path}")
            self.class_names = [str(c) for c in encoder.classes]
        self.target_name = self.source.target or "target"

        def in_memory(chunks: np.ndarray) -> Any:
            return Stream(self.source, encoder=encoder, chunks=chunks).to_arrays()

        self.dev = in_memory(dev) if len(dev) else None
        self.test = in_memory(test)
        self.width = encoder.n_features

    @staticmethod
    def _check_classes(classes: list[Any], where: str) -> None:
        if len(classes) < 2:
            raise ValueError(f"data: the training chunks of {where} hold one class only "
                             f"({listed(classes)}); a classifier needs two or more")
        numbers = np.asarray(classes)
        if (len(classes) >= 20 and numbers.dtype.kind == "f"
                and not np.all(numbers == np.round(numbers))):
            raise ValueError(f"data: the target of {where} holds {len(classes)} distinct "
                             "non-integer numbers: a numeric quantity, not classes; train "
                             "a regression model (--task regression)")

    def scaler(self) -> Any:
        """x := (x − μ)/σ over the whole encoded row (one-hot columns: μ = 0, σ = 1), so a
        saved model standardizes already encoded rows as training did."""
        from mlplab.data import Standardizer

        fitted = self.train.encoder.scaler
        extra = self.width - fitted.n_features_in_
        scaler = Standardizer()
        scaler.mean_ = np.concatenate([fitted.mean_, np.zeros(extra)])
        scaler.scale_ = np.concatenate([fitted.scale_, np.ones(extra)])
        scaler.n_features_in_ = self.width
        return scaler

    def metadata(self, config: Any) -> dict[str, Any]:
        """What the model file keeps: the standardization and the encoded feature names."""
        from mlplab.runs.preprocess import Preprocessor

        encoder, spec = self.train.encoder, config.data_spec
        pre = Preprocessor(None, self.scaler() if config.standardize else None, self.width)
        names = self.source.numeric_columns + [f"{column}={value}" for column, values
                                               in encoder.categories.items()
                                               for value in values]
        return {"input_width": self.width, "preprocessing": pre.to_dict(),
                "data": {"source": config.data, "kind": spec.kind, "image_shape": None,
                         "feature_names": names}}

    def raw_test_inputs(self, config: Any) -> np.ndarray:
        """The test rows before standardization (after one-hot encoding)."""
        X = self.test[0]
        return self.scaler().inverse_transform(X) if config.standardize else X


class ScaledTargets(Stream):
    """The training Stream of a regression run, its targets standardized on the way out:
    t = (y − μ_y) / σ_y with ``scale`` (a ``TargetScale``), as the in-memory run does."""

    def __init__(self, stream: Stream, scale: Any) -> None:
        super().__init__(stream.source, buffer_rows=stream.buffer_rows, encoder=stream.encoder,
                         chunks=stream.chunks)
        self.scale = scale

    def read(self, index: int) -> tuple[np.ndarray, Any]:
        X, y = super().read(index)
        return X, self.scale.standardize(y).astype(np.float32)


def load_streamed(config: Any) -> StreamedData:
    """Open, split and fit the preprocessing of ``config.data`` (see the module docstring)."""
    return StreamedData(config)


def evaluate_stream(trainer: Any, stream: Stream) -> dict[str, float]:
    """``trainer.evaluate`` over a stream, chunk by chunk, for metrics that are means."""
    totals: dict[str, float] = {}
    rows = 0
    for index in stream.chunks:
        X, y = stream.read(int(index))
        for name, value in trainer.evaluate(X, y).items():
            totals[name] = totals.get(name, 0.0) + value * len(y)
        rows += len(y)
    return {name: total / rows for name, total in totals.items()}
