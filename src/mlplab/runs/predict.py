"""Use a saved model: predict on new inputs (CSV or NPY) and evaluate on a dataset.

A model file written by a run carries what prediction needs besides the weights:
the task, the class names (classifiers) or the target's μ and σ (regression), the
fitted preprocessing (the CSV encoder and the training split's feature μ and σ) and
the config. :class:`TrainedModel` applies them, so raw inputs go in and class names
or values in the target's units come out — the numbers the run computed, bit for bit.

:func:`predict_file` and :func:`evaluate_model` hand the work to the model's task
(:mod:`mlplab.runs.tasks`), so a text model reads texts and a regression model
reports RMSE, MAE and R².
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.runs.data import Part
from mlplab.runs.predictions import Evaluation, Predictions, ValuePredictions, write_predictions
from mlplab.runs.preprocess import Preprocessor
from mlplab.runs.tasks import get_task

__all__ = ["Evaluation", "Predictions", "TrainedModel", "ValuePredictions",
           "dense_evaluation_data", "evaluate_model", "load_trained", "predict_file",
           "read_inputs", "write_predictions"]

SPLITS = ("auto", "test", "all")


@dataclass
class TrainedModel:
    """A loaded model with its preprocessing, class names and (when saved) training config."""

    model: Any
    metadata: dict[str, Any]
    preprocessor: Preprocessor
    class_names: list[str]  # [] for a regression model
    path: Path
    config: Any = None  # TrainConfig of the run that made it, when the file has one

    @classmethod
    def load(cls, path: str | Path) -> TrainedModel:
        """Read ``path`` (``ml.load``; never executes code from the file)."""
        from mlplab.io import ModelFileError, load

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"model: file not found: {path}; pass the "
                                    "model.safetensors of a run (e.g. runs/digits/"
                                    "model.safetensors)")
        model, metadata = load(path, with_metadata=True)
        try:
            pre = Preprocessor.from_dict(metadata.get("preprocessing"))
        except (ValueError, TypeError) as err:
            raise ModelFileError(f"{path}: the saved preprocessing is unreadable ({err})"
                                 ) from None
        if pre.input_width is None:
            pre.input_width = metadata.get("input_width")
        names = (metadata.get("class_names")
                 or (metadata.get("text_classifier") or {}).get("class_names"))
        if not names and "target" not in metadata:
            names = [str(i) for i in range(_output_width(model, pre.input_width))]
        return cls(model, metadata, pre, [str(n) for n in names or []], path,
                   _saved_config(metadata))

    @property
    def task(self) -> str:
        if "text_classifier" in self.metadata:
            return "text"
        return self.metadata.get("task", "classify")

    def trainer(self) -> Any:
        """A Trainer around the loaded weights (for evaluate/predict; weights kept)."""
        import mlplab.nn as nn
        from mlplab.train import Trainer

        task = get_task(self.task)
        loss = task.loss(self.config) if self.config is not None else nn.CrossEntropyLoss()
        return Trainer(self.model, loss, "sgd", metrics=task.metrics, verbose=0,
                       reinitialize=False)

    def predict_proba(self, inputs: Any) -> np.ndarray:
        """Class probabilities (n, K) of a classifier, for raw inputs as in training.

        ``inputs``: an array (n, features) or a list of rows for a model trained on
        numbers or images; a pandas DataFrame or a dict {column: values} with the
        training file's column names for a CSV-trained model. The saved preprocessing
        (encoding, standardization) is applied, so inputs are given as in the data file.
        """
        if self.metadata.get("target") is not None:
            raise TypeError("predict_proba: a regression model predicts values, not class "
                            "probabilities; call predict(inputs)")
        X, _ = self.preprocessor.transform(self.as_part(inputs))
        return self.trainer().predict_proba(X)

    def predict(self, inputs: Any) -> np.ndarray:
        """Class ids of a classifier; values in the target's units of a regression model
        (``inputs`` as for :meth:`predict_proba`)."""
        X, _ = self.preprocessor.transform(self.as_part(inputs))
        raw = self.trainer().predict(X)
        target = self.metadata.get("target")
        if target is None:
            return raw
        return float(target["mean"]) + float(target["std"]) * np.asarray(raw, dtype=np.float64)


    def as_part(self, inputs: Any) -> Part:
        """``inputs`` as the preprocessing takes them: a table of string columns or an array."""
        if isinstance(inputs, Part):
            return inputs
        if self.task == "text":
            raise TypeError("a text model reads texts: use mlplab.text.TextClassifier.load("
                            f"{str(self.path)!r}).predict_proba(texts)")
        if hasattr(inputs, "columns") and hasattr(inputs, "to_numpy"):  # a pandas DataFrame
            if self.preprocessor.encoder is None:
                return Part(inputs.to_numpy(), None)
            inputs = {str(c): inputs[c].astype(str).to_numpy() for c in inputs.columns}
        if isinstance(inputs, dict):
            return Part({str(k): np.asarray(v, dtype=str).reshape(-1)
                         for k, v in inputs.items()}, None)
        if self.preprocessor.encoder is not None:
            names = self.preprocessor.encoder.to_dict()["columns"]
            raise TypeError("this model was trained on a CSV table: pass a pandas DataFrame "
                            "or a dict {column: values} with its columns ("
                            f"{', '.join(c['name'] for c in names[:6])}"
                            f"{', …' if len(names) > 6 else ''})")
        return Part(np.asarray(inputs), None)


def _saved_config(metadata: dict[str, Any]) -> Any:
    from mlplab.runs.config import ConfigError, make_config

    if not isinstance(metadata.get("config"), dict):
        return None
    try:
        return make_config(metadata["config"])
    except (ConfigError, OSError):
        return None  # an older or foreign config: predictions do not need it


def _output_width(model: Any, input_width: int | None) -> int:
    from mlplab.autograd.grad_mode import no_grad
    from mlplab.autograd.tensor import Tensor

    with no_grad():
        out = model(Tensor(np.zeros((1, input_width or 1), dtype=np.float32)))
    return int(out.shape[-1])


def load_trained(path: str | Path) -> TrainedModel:
    """Load a model saved by a run (see :class:`TrainedModel`)."""
    return TrainedModel.load(path)


# --------------------------------------------------------------------------- inputs
def _numbers(cells: list[str]) -> np.ndarray | None:
    try:
        return np.array(cells, dtype=np.float64)
    except ValueError:
        return None


def _numeric_csv(path: Path) -> np.ndarray:
    """A CSV of numbers, with or without a header row."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.reader(handle) if any(c.strip() for c in r)]
    if rows and _numbers(rows[0]) is None:
        rows = rows[1:]  # a header row
    if not rows:
        raise ValueError(f"input: {path} has no data rows")
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        i = next(i for i, r in enumerate(rows) if len(r) != len(rows[0]))
        raise ValueError(f"input: {path}: row {i + 1} has {len(rows[i])} values, the first "
                         f"row {len(rows[0])}; every row needs the same number of columns")
    for i, row in enumerate(rows):
        if _numbers(row) is None:
            j = next(j for j, cell in enumerate(row) if _numbers([cell]) is None)
            raise ValueError(f"input: {path}: row {i + 1}, column {j + 1} is {row[j]!r}, "
                             "not a number")
    return np.array(rows, dtype=np.float64)


def read_inputs(path: str | Path, trained: TrainedModel) -> Part:
    """Read a .csv (named columns for CSV-trained models, numbers otherwise) or .npy file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"input: file not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".npy":
        try:
            X = np.load(path, allow_pickle=False)
        except ValueError as err:
            raise ValueError(f"input: {path} is not a numeric .npy array ({err})") from None
        except (OSError, EOFError) as err:
            raise ValueError(f"input: {path} is not a valid .npy file ({err})") from None
        return Part(X, None)
    if suffix == ".csv":
        try:
            if trained.preprocessor.encoder is not None:
                from mlplab.data import read_csv_columns

                return Part(read_csv_columns(path), None)
            return Part(_numeric_csv(path), None)
        except UnicodeDecodeError:
            raise ValueError(f"input: {path} is not a UTF-8 text file") from None
    raise ValueError(f"input: expected a .csv or .npy file, received {path.name!r}")


def predict_file(model_path: str | Path, input_path: str | Path,
                 output: str | Path | None = None) -> Any:
    """Predict every row (or text) of ``input_path`` with the model at ``model_path``:
    ``Predictions`` (classes) or ``ValuePredictions`` (regression)."""
    trained = load_trained(model_path)
    return get_task(trained.task).predict_file(trained, input_path, output)


# --------------------------------------------------------------------------- evaluate
def evaluation_config(trained: TrainedModel, data: str) -> Any:
    """The model's run config with ``data`` in place of its training data (a CSV keeps
    the trained target column)."""
    from mlplab.runs.config import make_config, parse_data_spec

    spec = parse_data_spec(data)
    target = (trained.metadata.get("target") or {}).get("name")
    encoder = trained.preprocessor.encoder
    if encoder is not None and encoder.target is not None:
        target = encoder.target
    if spec.kind == "csv" and target is not None and "target" not in spec.options:
        data = f"{data},target={target}"  # the column the model was trained to predict
    base = trained.config.to_dict() if trained.config is not None else {}
    base.pop("name", None)
    base.pop("stream", None)  # how training read its file; evaluation decides for itself
    return make_config(base, data=data, augment=False)


def _numeric_table(part: Part, class_names: list[str]) -> Part:
    """A CSV of numbers plus a label column, for a model trained on arrays (digits, …)."""
    from mlplab.data.tabular import clean_labels, listed

    table, target = part.features, part.target
    columns = [c for c in table if c != target]
    try:
        X = np.column_stack([table[c].astype(np.float64) for c in columns])
    except ValueError:
        raise ValueError("data: this model takes numbers, and the CSV has non-numeric "
                         f"feature values; columns: {', '.join(columns)}") from None
    labels = clean_labels(table[target])
    index = {name: i for i, name in enumerate(class_names)}
    unknown = sorted(set(labels.tolist()) - set(index))
    if unknown:
        raise ValueError(f"data: the target column {target!r} holds {listed(unknown, 3)}, "
                         f"which are not among the model's classes ({listed(class_names)})")
    return Part(X, np.array([index[v] for v in labels.tolist()], dtype=np.int64))


def dense_evaluation_data(trained: TrainedModel, data: str, split: str,
                          numeric: bool = False) -> tuple[np.ndarray, np.ndarray, str]:
    """The inputs the model takes and the true targets of ``data``'s ``split``, and the split.

    'test' rebuilds the run's test split (same seed and fractions, from the saved config;
    MNIST's official test set); 'all' takes every sample; 'auto' is 'all' for CSV files.
    """
    from mlplab.runs.data import load_all, load_raw_splits

    config = evaluation_config(trained, data)
    if split == "auto":
        split = "all" if config.data_spec.kind == "csv" else "test"
    part = (load_raw_splits(config, numeric).test if split == "test"
            else load_all(config, numeric)[0])
    if isinstance(part.features, dict) and trained.preprocessor.encoder is None:
        part = _numeric_table(part, trained.class_names)
    X, y = trained.preprocessor.transform(part)
    if y is None:
        columns = ", ".join(part.features) if isinstance(part.features, dict) else ""
        raise ValueError(f"data: {data} has no target column {part.target!r} to evaluate "
                         f"against; its columns are {columns}")
    return X, y, split


def evaluate_model(model_path: str | Path, data: str, split: str = "auto") -> Evaluation:
    """Evaluate the model at ``model_path`` on the dataset ``data`` (a data source string).

    ``split``: 'test' reproduces the run's test split; 'all' uses every sample (e.g. a new
    CSV file); 'auto' is 'all' for CSV files and 'test' otherwise. Text models read every
    labelled text of the file.
    """
    if split not in SPLITS:
        raise ValueError(f"evaluate_model: split must be one of {', '.join(SPLITS)}, got "
                         f"{split!r}")
    trained = load_trained(model_path)
    return get_task(trained.task).evaluate_file(trained, data, split)
