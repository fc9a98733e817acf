"""Data for a run: load a source and split it into training, dev and test parts.

The **training** set fits the parameters, the **dev** (development, or validation)
set chooses between models and tells when to stop, the **test** set gives the final,
unbiased number. Splits are seeded random draws, stratified by class for
classifiers; every statistic later used to transform inputs is fitted on the
training part alone (:mod:`mlplab.runs.preprocess`).

A CSV's target column holds class names for ``classify`` and numbers for
``regression``; a classifier refuses a target that is plainly a continuous quantity.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.checks import did_you_mean, is_sparse
from mlplab.data.tabular import listed
from mlplab.runs.sources import DataSpec

__all__ = ["MIN_SAMPLES", "Part", "RawSplits", "check_class_sizes", "continuous_target",
           "load_all", "load_raw_splits", "numeric_target", "take"]

Table = dict[str, np.ndarray]  # a CSV as {column name: string values}


@dataclass
class Part:
    """One split before preprocessing: an array of features, or a CSV table (then the
    labels of a classifier are read from the ``target`` column by the encoder)."""

    features: np.ndarray | Table
    y: np.ndarray | None
    target: str | None = None  # the target column of a table

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


def take(data: Any, idx: np.ndarray) -> Any:
    """The rows ``idx`` of an array, a sparse matrix, a list (of texts) or a table of columns."""
    if isinstance(data, dict):
        return {k: v[idx] for k, v in data.items()}
    if isinstance(data, np.ndarray) or is_sparse(data):
        return data[idx]
    return [data[i] for i in idx]


# --------------------------------------------------------------------------- sources
def _digits(config: Any) -> tuple[Part, Part, list[str]]:
    from mlplab.data import load_digits

    if config.test_split == 0:
        raise ValueError("config: digits has no separate test set; set test_split > 0, "
                         "e.g. test_split=0.2")
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

    kwargs: dict[str, Any] = {"n": int(spec.options.get("n", 1000)), "seed": seed}
    if "noise" in spec.options:
        kwargs["std" if spec.name == "gaussians" else "noise"] = float(spec.options["noise"])
    return getattr(data, spec.name)(**kwargs)


def _read_table(spec: DataSpec) -> tuple[Table, str]:
    """The CSV's columns, with rows whose target is missing dropped; and the target name."""
    from mlplab.data import read_csv_columns
    from mlplab.data.tabular import MISSING_TOKENS

    path = Path(spec.path)
    if path.is_dir():
        raise IsADirectoryError(f"data: {path} is a folder, not a CSV file; write "
                                "'csv:FOLDER/FILE.csv'")
    if not path.is_file():
        raise FileNotFoundError(f"data: CSV file not found: {path}; check the path in "
                                f"'csv:{spec.path}'")
    try:
        table = read_csv_columns(path)
    except ValueError as err:
        raise ValueError(f"data: {err}") from None
    target = spec.options.get("target") or list(table)[-1]
    for role, name in (("target", target), *(("drop", c) for c in spec.dropped)):
        if name not in table:
            raise ValueError(f"data: {path} has no {role} column {name!r}; its columns are "
                             f"{listed(list(table))}{did_you_mean(name, list(table))}; write "
                             f"'csv:{spec.path},{role}=COLUMN'")
    if len(table) < 2:
        raise ValueError(f"data: {path} has only the column {target!r}"
                         f"{_delimiter_hint(target)}; a CSV needs feature columns besides "
                         "the target")
    keep = ~np.isin(table[target], MISSING_TOKENS)
    if not keep.all():
        warnings.warn(f"{path}: dropped {int((~keep).sum())} rows whose target {target!r} is "
                      "missing", stacklevel=3)
        table = {k: v[keep] for k, v in table.items()}
    return table, target


def _delimiter_hint(column: str) -> str:
    """'; its name holds tabs: is the file tab-separated?' for a one-column header."""
    for mark, name in (("\t", "tab"), (";", "semicolon"), ("|", "bar")):
        if mark in column:
            return (f" (its name holds {name}s: the file looks {name}-separated, and mlplab "
                    "reads commas; convert it to a comma-separated CSV)")
    return ""


def _as_numbers(values: np.ndarray) -> np.ndarray | None:
    try:
        return np.asarray(values, dtype=str).astype(np.float64)
    except ValueError:
        return None


def numeric_target(table: Table, target: str) -> np.ndarray:
    """The target column as float64 numbers (regression), or a one-line error."""
    y = _as_numbers(table[target])
    if y is None or not np.isfinite(y).all():
        row = next(i for i, v in enumerate(table[target])
                   if _as_numbers(np.array([v])) is None or not np.isfinite(float(v)))
        raise ValueError(f"data: target {target!r} holds {str(table[target][row])!r} (data row "
                         f"{row + 1}), not a finite number; regression needs a numeric target")
    return y


def continuous_target(values: np.ndarray, min_distinct: int = 20) -> str | None:
    """Why a class column looks like a numeric quantity, or None when it can be classes.

    A quantity: ``min_distinct`` or more distinct numbers that are not all integers
    (a price, 12.5), or integers so many that a fifth of the rows or more have a value
    of their own (an age, a count: few samples per "class" and no order known to the
    softmax).
    """
    y = _as_numbers(values)
    if y is None or not np.isfinite(y).all():
        return None
    distinct = np.unique(y)
    if len(distinct) < min_distinct:
        return None
    examples = f"e.g. {distinct[0]:g}, {distinct[1]:g}, {distinct[-1]:g}"
    if not np.all(distinct == np.round(distinct)):
        return f"{len(distinct)} distinct non-integer numbers ({examples})"
    if len(distinct) >= len(y) / 5:
        return f"{len(distinct)} distinct integers in {len(y)} rows ({examples})"
    return None


def _class_labels(table: Table, target: str, source: str) -> np.ndarray:
    from mlplab.data.tabular import clean_labels

    why = continuous_target(table[target])
    if why is not None:
        raise ValueError(f"data: the target {target!r} of {source} holds {why}: a numeric "
                         "quantity, not classes; train with --task regression "
                         "(task = \"regression\")")
    return clean_labels(table[target])


# --------------------------------------------------------------------------- splits
MIN_SAMPLES = 10
"""Fewer samples than this cannot make a training, a dev and a test set that mean anything."""


def _split(features: Any, y: np.ndarray, fractions: list[float], seed: Any,
           classes: bool = True) -> list[Part | None]:
    """Random parts of sizes ⌈f·n⌉ for each fraction, then the rest (training); for
    ``classes`` (a classifier's labels) stratified by class, each class in every part."""
    from mlplab.data.splits import split_indices

    n = len(y)
    if n == 0:
        raise ValueError("data: the dataset is empty (0 samples)")
    if n < MIN_SAMPLES:
        raise ValueError(f"data: only {n} sample{'s' if n != 1 else ''}; a run splits the data "
                         f"into training, dev and test sets, and needs {MIN_SAMPLES} samples or "
                         "more (better hundreds) for its numbers to mean anything")
    if classes:
        check_class_sizes(y)
    sizes = [math.ceil(f * n) for f in fractions]
    idx = split_indices(n, sizes, y=y, stratify=classes, seed=seed)
    if classes:  # rounding may leave a small class out of the training part
        unseen = sorted(set(y[np.concatenate(idx[:-1])].tolist()) - set(y[idx[-1]].tolist()))
        if unseen:
            count = int((y == unseen[0]).sum())
            raise ValueError(f"data: the class {str(unseen[0])!r} has only {count} samples, too "
                             "few to be in the training split as well as the dev and test "
                             "splits; remove its rows, add samples or lower validation_split")
    return [None if size == 0 else Part(take(features, i), y[i])
            for i, size in zip(idx, [*sizes, None], strict=True)]


def check_class_sizes(y: np.ndarray) -> None:
    """Two classes or more, each with two samples or more (one to train on, one to test)."""
    from mlplab.data.validation import check_two_classes

    check_two_classes(y, owner="data")
    names, counts = np.unique(y, return_counts=True)
    rare = names[counts < 2]
    if len(rare):
        more = f" (and {len(rare) - 1} more classes)" if len(rare) > 1 else ""
        raise ValueError(f"data: the class {str(rare[0])!r} has a single sample{more}; every "
                         "class needs samples in both the training and the test split: remove "
                         "its rows or add samples of it")


def _image_splits(config: Any, spec: DataSpec, rng: Any) -> RawSplits:
    train, test, names = _digits(config) if spec.kind == "digits" else _idx(spec)
    dev = None
    if config.validation_split:
        dev, train = _split(train.features, train.y, [config.validation_split], rng)
    return RawSplits(train, dev, test, names, spec)


def load_raw_splits(config: Any, numeric: bool = False) -> RawSplits:
    """Train / dev / test parts of ``config.data`` (dev from ``validation_split``; test from
    ``test_split`` unless the source has its own test set), split with ``config.seed``.

    ``numeric``: the CSV target holds numbers to regress on (no stratification); else
    class names, read again from the target column by the encoder.
    """
    spec = config.data_spec
    rng = np.random.default_rng(config.seed)
    if spec.kind in ("digits", "mnist", "fashion-mnist"):
        return _image_splits(config, spec, rng)
    if config.test_split == 0:
        raise ValueError("config: this data has no separate test set; set test_split > 0, "
                         "e.g. test_split=0.2")
    target, names = None, None
    if spec.kind == "synthetic":
        features, y = _synthetic(spec, config.seed)
        names = [str(i) for i in range(int(y.max()) + 1)]
    elif spec.kind == "csv":
        features, target = _read_table(spec)
        y = (numeric_target(features, target) if numeric
             else _class_labels(features, target, f"csv:{spec.path}"))
    else:
        raise ValueError(f"data: the {config.task!r} task cannot read {spec.kind!r} data "
                         "into memory; pass csv:PATH, or train a classifier (--task "
                         "classify), which reads npy: and parquet: files chunk by chunk")
    dev, test, train = _split(features, y, [config.validation_split, config.test_split], rng,
                              classes=not numeric)
    for part in (train, dev, test):
        if part is not None and target is not None:
            part.target = target
            if not numeric:  # the encoder reads the labels from the target column
                part.y = None
    return RawSplits(train, dev, test, names, spec, target)


def load_all(config: Any, numeric: bool = False) -> tuple[Part, list[str] | None]:
    """Every sample of ``config.data`` as one part (to evaluate a model on a whole file)."""
    spec = config.data_spec
    if spec.kind == "csv":
        table, target = _read_table(spec)
        return Part(table, numeric_target(table, target) if numeric else None, target), None
    if spec.kind == "synthetic":
        return Part(*_synthetic(spec, config.seed)), None
    if spec.kind == "digits":
        from mlplab.data import load_digits

        return Part(*load_digits(test_size=None)), None
    if spec.kind not in ("mnist", "fashion-mnist"):
        raise ValueError(f"data: the {config.task!r} task cannot read {spec.kind!r} data "
                         "into memory; pass csv:PATH, or train a classifier (--task "
                         "classify), which reads npy: and parquet: files chunk by chunk")
    train, test, names = _idx(spec)
    return Part(np.concatenate([train.features, test.features]),
                np.concatenate([train.y, test.y])), names
