"""Data for a run: load a source, split it train/dev/test, fit preprocessing on train only.

The notes' workflow (2.1.1, 2.1.7): the **training** set fits the parameters, the
**dev** set chooses between models and tells when to stop, the **test** set gives
the final, unbiased number. Every statistic used to transform inputs — a CSV's
categories and medians (``TabularEncoder``), the mean μ and deviation σ of each
feature (``Standardizer``: x := (x − μ)/σ) — is computed on the training split
alone and then applied unchanged to dev, test and every later prediction.
:class:`Preprocessor` holds those fitted steps and saves them as plain JSON in
the model file, so ``mlplab predict`` turns raw inputs into what the network saw.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.runs.config import DataSpec, TrainConfig

__all__ = ["Part", "Preprocessor", "RawSplits", "load_all", "load_raw_splits"]

Table = dict[str, np.ndarray]  # a CSV as {column name: string values}


@dataclass
class Part:
    """One split before preprocessing: an array of features, or a CSV table (then y is None:
    the labels are read from the target column by the encoder)."""

    features: np.ndarray | Table
    y: np.ndarray | None
    target: str | None = None  # the label column of a table

    def __len__(self) -> int:
        if isinstance(self.features, dict):
            return len(next(iter(self.features.values()))) if self.features else 0
        return len(self.features)


@dataclass
class RawSplits:
    train: Part
    dev: Part | None
    test: Part
    class_names: list[str] | None  # None: read by the encoder from a CSV target column
    spec: DataSpec
    target: str | None = None  # the CSV target column


# --------------------------------------------------------------------------- sources
def _digits(config: TrainConfig) -> tuple[Part, Part, list[str]]:
    from mlplab.data import load_digits

    if config.test_split == 0:
        raise ValueError("test_split: digits has no separate test set; set test_split > 0 "
                         "(e.g. 0.2)")
    (X, y), (X_te, y_te) = load_digits(test_size=config.test_split, seed=config.seed)
    return Part(X, y), Part(X_te, y_te), [str(i) for i in range(10)]


def _idx(spec: DataSpec) -> tuple[Part, Part, list[str]]:
    from mlplab.data import FASHION_MNIST_CLASSES, load_fashion_mnist, load_mnist

    loader = load_mnist if spec.kind == "mnist" else load_fashion_mnist
    try:
        (X, y), (X_te, y_te) = loader(spec.path)
    except FileNotFoundError as err:
        raise FileNotFoundError(f"data: {err}") from None
    names = (list(FASHION_MNIST_CLASSES) if spec.kind == "fashion-mnist"
             else [str(i) for i in range(10)])
    return Part(X, y), Part(X_te, y_te), names


def _synthetic(spec: DataSpec, seed: int) -> tuple[np.ndarray, np.ndarray]:
    import mlplab.data as data

    n = int(spec.options.get("n", 1000))
    kwargs: dict[str, Any] = {"n": n, "seed": seed}
    if "noise" in spec.options:
        kwargs["std" if spec.name == "gaussians" else "noise"] = float(spec.options["noise"])
    return getattr(data, spec.name)(**kwargs)


def _read_table(spec: DataSpec) -> tuple[Table, str]:
    """The CSV's columns, with rows whose target is missing dropped; and the target name."""
    from mlplab.data import read_csv_columns
    from mlplab.data.tabular import MISSING_TOKENS

    path = Path(spec.path)
    if not path.is_file():
        raise FileNotFoundError(f"data: CSV file not found: {path}; check the path in "
                                f"'csv:{spec.path}'")
    try:
        table = read_csv_columns(path)
    except UnicodeDecodeError:
        raise ValueError(f"data: {path} is not a UTF-8 text file; pass a CSV file") from None
    target = spec.options.get("target") or list(table)[-1]
    if target not in table:
        import difflib

        close = difflib.get_close_matches(target, list(table), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"data: {path} has no target column {target!r}; its columns are "
                         f"{', '.join(table)}.{hint} Write 'csv:{spec.path},target=COLUMN'")
    if len(table) < 2:
        raise ValueError(f"data: {path} has only the column {target!r}; a CSV needs feature "
                         "columns besides the target")
    keep = ~np.isin(table[target], MISSING_TOKENS)
    if not keep.all():
        warnings.warn(f"{path}: dropped {int((~keep).sum())} rows whose target {target!r} is "
                      "missing", stacklevel=3)
        table = {k: v[keep] for k, v in table.items()}
    return table, target


def _take(features: np.ndarray | Table, idx: np.ndarray) -> np.ndarray | Table:
    if isinstance(features, dict):
        return {k: v[idx] for k, v in features.items()}
    return features[idx]


def _labels_for_split(table: Table, target: str) -> np.ndarray:
    from mlplab.data.tabular import _clean_labels

    return _clean_labels(table[target])


def _split(features: np.ndarray | Table, y: np.ndarray, fractions: list[float], seed: Any
           ) -> list[Part | None]:
    """Stratified random parts of sizes ⌈f·n⌉ for each fraction, then the rest (training)."""
    import math

    from mlplab.data.splits import split_indices

    n = len(y)
    if n == 0:
        raise ValueError("data: the dataset is empty (0 samples)")
    sizes = [math.ceil(f * n) for f in fractions]
    _, counts = np.unique(y, return_counts=True)
    stratify = counts.min() >= 2  # a class with one sample cannot be in two splits
    idx = split_indices(n, sizes, y=y, stratify=stratify, seed=seed)
    parts: list[Part | None] = []
    for i, size in zip(idx, [*sizes, None], strict=True):
        parts.append(None if size == 0 else Part(_take(features, i), y[i]))
    return parts


def load_raw_splits(config: TrainConfig) -> RawSplits:
    """Train / dev / test parts of ``config.data`` (dev from ``validation_split``; test from
    ``test_split`` unless the source has its own test set), split with ``config.seed``."""
    spec = config.data_spec
    rng = np.random.default_rng(config.seed)
    if spec.kind in ("digits", "mnist", "fashion-mnist"):
        train, test, names = _digits(config) if spec.kind == "digits" else _idx(spec)
        dev = None
        if config.validation_split:
            dev, train = _split(train.features, train.y, [config.validation_split], rng)
        return RawSplits(train, dev, test, names, spec)
    target = None
    if spec.kind == "synthetic":
        X, y = _synthetic(spec, config.seed)
        names = [str(i) for i in range(int(y.max()) + 1)]
        features: np.ndarray | Table = X
    elif spec.kind == "csv":
        features, target = _read_table(spec)
        y = _labels_for_split(features, target)
        names = None
    else:
        raise ValueError(f"data: the {config.task!r} task cannot read {spec.kind!r} data")
    if config.test_split == 0:
        raise ValueError("test_split: this data has no separate test set; set test_split > 0 "
                         "(e.g. 0.2)")
    dev, test, train = _split(features, y, [config.validation_split, config.test_split], rng)
    if spec.kind == "csv":  # the encoder reads the labels from the target column
        for part in (train, dev, test):
            if part is not None:
                part.y, part.target = None, target
    return RawSplits(train, dev, test, names, spec, target)


def load_all(config: TrainConfig) -> tuple[Part, list[str] | None]:
    """Every sample of ``config.data`` as one part (to evaluate a model on a whole file)."""
    spec = config.data_spec
    if spec.kind == "csv":
        table, target = _read_table(spec)
        return Part(table, None, target), None
    if spec.kind == "synthetic":
        X, y = _synthetic(spec, config.seed)
        return Part(X, y), None
    if spec.kind == "digits":
        from mlplab.data import load_digits

        X, y = load_digits(test_size=None)
        return Part(X, y), None
    train, test, names = _idx(spec)
    return Part(np.concatenate([train.features, test.features]),
                np.concatenate([train.y, test.y])), names


# --------------------------------------------------------------------------- preprocessing
class Preprocessor:
    """The fitted input pipeline: optional ``TabularEncoder`` (CSV → numbers), then an
    optional ``Standardizer`` (x := (x − μ)/σ with training μ, σ).

    ``to_dict``/``from_dict`` give plain JSON for the model file (no pickle).
    """

    def __init__(self, encoder: Any = None, scaler: Any = None,
                 input_width: int | None = None) -> None:
        self.encoder = encoder
        self.scaler = scaler
        self.input_width = input_width

    @classmethod
    def fit(cls, part: Part, standardize: bool, target: str | None = None) -> Preprocessor:
        """Fit on the training part only: the encoder (CSV tables, labels from ``target``),
        then the Standardizer on the encoded features when ``standardize``."""
        from mlplab.data import Standardizer, TabularEncoder

        encoder = None
        if isinstance(part.features, dict):
            encoder = TabularEncoder(target).fit(part.features)
            X = encoder.transform(part.features).X
        else:
            X = np.asarray(part.features).reshape(len(part), -1)
        scaler = Standardizer().fit(X) if standardize else None
        return cls(encoder, scaler, X.shape[1])

    @property
    def class_names(self) -> list[str] | None:
        return list(self.encoder.class_names) if self.encoder is not None else None

    def transform(self, part: Part) -> tuple[np.ndarray, np.ndarray | None]:
        """Features the network takes (float32, width ``input_width``) and labels (or None)."""
        if isinstance(part.features, dict):
            if self.encoder is None:
                raise ValueError("input: this model was trained on numeric arrays, not a CSV "
                                 "table with named columns")
            try:
                encoded = self.encoder.transform(part.features)
            except ValueError as err:
                raise ValueError(f"input: {err}") from None
            X, y = encoded.X, encoded.y
        else:
            X, y = self._as_matrix(part.features), part.y
        if self.scaler is not None:
            X = self.scaler.transform(X)
        return np.ascontiguousarray(X, dtype=np.float32), y

    def _as_matrix(self, X: Any) -> np.ndarray:
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            raise ValueError(f"input: expected numbers, received values of type {X.dtype}")
        if X.ndim > 2:  # images (n, H, W) → rows of pixels
            X = X.reshape(len(X), -1)
        if X.ndim != 2:
            raise ValueError(f"input: expected a 2-D array (samples, features), received "
                             f"shape {X.shape}")
        if self.encoder is not None:
            raise ValueError("input: this model was trained on a CSV table; pass a CSV file "
                             "with the training file's column names")
        if self.input_width is not None and X.shape[1] != self.input_width:
            raise ValueError(f"input: the model takes {self.input_width} features per sample, "
                             f"received {X.shape[1]}; pass data with the training data's "
                             "columns")
        if not np.isfinite(X).all():
            row, col = np.argwhere(~np.isfinite(X))[0]
            raise ValueError(f"input: row {row}, column {col} is {X[row, col]}; remove or fill "
                             "non-finite values")
        return X.astype(np.float32, copy=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "encoder": self.encoder.to_dict() if self.encoder is not None else None,
            "scaler": self.scaler.to_dict() if self.scaler is not None else None,
            "input_width": self.input_width,
        }

    @classmethod
    def from_dict(cls, state: dict[str, Any] | None) -> Preprocessor:
        from mlplab.data import MinMaxScaler, Standardizer, TabularEncoder

        state = state or {}
        encoder = state.get("encoder")
        scaler = state.get("scaler")
        if scaler is not None:
            kinds = {"Standardizer": Standardizer, "MinMaxScaler": MinMaxScaler}
            if not isinstance(scaler, dict) or scaler.get("type") not in kinds:
                raise ValueError("the model file's scaler is not a Standardizer or MinMaxScaler")
            scaler = kinds[scaler["type"]].from_dict(scaler)
        return cls(TabularEncoder.from_dict(encoder) if encoder is not None else None, scaler,
                   state.get("input_width"))
