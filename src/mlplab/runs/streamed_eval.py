"""Evaluating a saved model on a file read chunk by chunk (``npy:``, ``parquet:``, and
``csv:`` for a model trained with ``stream = true``).

Only one chunk is in memory at a time, so the file may be larger than memory. Each
chunk is encoded as training encoded it (the model file's feature names give the
one-hot categories, its preprocessing the standardization, its class names the class
ids), then the model's loss, accuracy and confusion matrix are added up:

    loss = Σ_chunks n_c · loss_c / Σ_chunks n_c,   C = Σ_chunks C_c,

which are the values over the whole split, since both are sums over rows. The
per-class report comes from the summed confusion matrix. A regression model's RMSE,
MAE and R² come from the sums of :class:`~mlplab.runs.regression.RegressionTotals`.
``split="test"`` takes the run's test chunks again (the same file cut into the same
chunks, split with the same seed and fractions); ``"all"`` (the default for a file)
every chunk.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.data.tabular import listed

__all__ = ["evaluate_chunked", "reads_in_chunks"]

CHUNKED_KINDS = ("npy", "parquet")


def reads_in_chunks(trained: Any, kind: str) -> bool:
    """True for data this module evaluates: ``.npy`` and Parquet files, and CSV files for
    a model trained on a stream (its test split was cut from whole chunks)."""
    streamed = trained.config is not None and bool(getattr(trained.config, "stream", False))
    return kind in CHUNKED_KINDS or (kind == "csv" and streamed)


class ChunkEncoding:
    """A chunk's rows as the network's inputs, encoded as in training, and class ids."""

    def __init__(self, trained: Any, source: Any, where: str) -> None:
        self.preprocessor = trained.preprocessor
        self.where = where
        self.regression = trained.task == "regression"
        self.class_index = {name: i for i, name in enumerate(trained.class_names)}
        self.class_names = trained.class_names
        names = list((trained.metadata.get("data") or {}).get("feature_names") or [])
        numeric = list(source.numeric_columns)
        if names and names[:len(numeric)] != numeric:
            raise ValueError(f"data: {where} has the numeric columns {listed(numeric)}, the "
                             f"model was trained on {listed(names[:len(numeric)])}; pass a "
                             "file with the training file's columns")
        # one-hot columns: "column=value" names after the numeric ones, grouped by column
        self.categories = {
            column: np.asarray([n[len(column) + 1:] for n in names[len(numeric):]
                                if n.startswith(f"{column}=")], dtype=str)
            for column in source.categorical_columns}
        scaler = self.preprocessor.scaler
        # training fills a missing number with its column's mean: the scaler's μ
        self.fill = (np.asarray(scaler.mean_[:len(numeric)], dtype=np.float32)
                     if scaler is not None else None)

    def __call__(self, chunk: Any) -> tuple[np.ndarray, np.ndarray]:
        from mlplab.runs.data import Part

        X = np.asarray(chunk.numeric, dtype=np.float32)
        if self.fill is not None and np.isnan(X).any():
            X = np.where(np.isnan(X), self.fill, X)
        parts = [X]
        for column, values in self.categories.items():
            cells = np.asarray(chunk.categorical[column], dtype=str)
            onehot = (cells[:, None] == values[None, :]).astype(np.float32)
            parts.append(onehot)  # an unseen category: all zeros, as in training
        X = parts[0] if len(parts) == 1 else np.hstack(parts)
        X, _ = self.preprocessor.transform(Part(X, None))
        if chunk.target is None:
            raise ValueError(f"data: {self.where} has no target column to evaluate against")
        return X, self.values(chunk.target) if self.regression else self.class_ids(chunk.target)

    def values(self, target: np.ndarray) -> np.ndarray:
        try:
            y = np.asarray(target, dtype=np.float64)
        except ValueError:
            raise ValueError(f"data: the target of {self.where} holds text; a regression "
                             "model needs numbers") from None
        if not np.isfinite(y).all():
            raise ValueError(f"data: the target of {self.where} has missing or infinite "
                             "values; drop those rows first")
        return y

    def class_ids(self, target: np.ndarray) -> np.ndarray:
        labels = [str(v) for v in np.asarray(target).tolist()]
        unknown = sorted(set(labels) - set(self.class_index))
        if unknown:
            raise ValueError(f"data: the target of {self.where} holds {listed(unknown, 3)}, "
                             f"which are not among the model's classes "
                             f"({listed(self.class_names)})")
        return np.fromiter((self.class_index[v] for v in labels), dtype=np.int64,
                           count=len(labels))


def evaluate_chunked(trained: Any, config: Any, data: str, split: str) -> Any:
    """Loss, accuracy, report and confusion matrix of ``trained`` on ``config.data``'s
    ``split``, one chunk at a time (see the module docstring)."""
    from mlplab.runs.predictions import Evaluation
    from mlplab.runs.streamed import open_run_source, split_chunks
    from mlplab.train.metrics import confusion_matrix, format_report, report_from_confusion

    spec = config.data_spec
    where = f"{spec.kind}:{spec.path}"
    source = open_run_source(spec)
    split = "all" if split == "auto" else split
    if split == "test":
        chunks = split_chunks(source.chunk_rows, [config.validation_split, config.test_split],
                              config.seed, where)[1]
    else:
        chunks = np.arange(source.n_chunks)
    encode = ChunkEncoding(trained, source, where)
    trainer = trained.trainer()
    if encode.regression:
        return _regression(trained, trainer, source, encode, chunks, split, data, where)
    k = len(trained.class_names)
    matrix = np.zeros((k, k), dtype=np.int64)
    loss_sum, rows = 0.0, 0
    for index in chunks:
        X, y = encode(source.read(int(index)))
        if not len(y):
            continue
        loss_sum += trainer.evaluate(X, y)["loss"] * len(y)
        matrix += confusion_matrix(y, trainer.predict(X), num_classes=k)
        rows += len(y)
    if not rows:
        raise ValueError(f"data: the {split} split of {where} has no rows to evaluate")
    report = report_from_confusion(matrix, trained.class_names)
    metrics = {"loss": loss_sum / rows, "accuracy": report["accuracy"]}
    return Evaluation(metrics, rows, split, data, list(trained.class_names), report,
                      format_report(report), matrix)


def _regression(trained: Any, trainer: Any, source: Any, encode: ChunkEncoding,
                chunks: np.ndarray, split: str, data: str, where: str) -> Any:
    from mlplab.runs.predictions import Evaluation
    from mlplab.runs.regression import RegressionTotals, TargetScale

    scale = TargetScale.from_dict(trained.metadata["target"])
    totals = RegressionTotals(scale)
    for index in chunks:
        X, y = encode(source.read(int(index)))
        totals.add(trainer, X, scale.standardize(y))
    if not totals.n:
        raise ValueError(f"data: the {split} split of {where} has no rows to evaluate")
    return Evaluation(totals.metrics(), totals.n, split, data, [], {}, "", None)
