"""Use a saved model: predict on new inputs (CSV or NPY) and evaluate on a dataset.

A model file written by a run carries what prediction needs besides the weights:
the class names, the fitted preprocessing (the CSV encoder and the training
split's μ and σ) and the config. :class:`TrainedModel` applies them, so raw inputs
go in and class names come out — the same numbers the run computed, bit for bit.

Text models (task 'text') are handled by ``mlplab.text.runs`` (``predict_file`` and
``evaluate_model`` with the same signatures), imported only when such a model is used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.runs.data import Part, Preprocessor

__all__ = ["Evaluation", "Predictions", "TrainedModel", "evaluate_model", "load_trained",
           "predict_file", "read_inputs", "write_predictions"]

SPLITS = ("auto", "test", "all")


def _is_text_model(metadata: dict[str, Any]) -> bool:
    return metadata.get("task") == "text" or "text_classifier" in metadata


def _text_support() -> Any:
    try:
        from mlplab.text import runs
    except ImportError as err:
        raise RuntimeError(f"this is a text model, and text support is not available ({err})"
                           ) from None
    return runs


@dataclass
class TrainedModel:
    """A loaded model with its preprocessing, class names and (when saved) training config."""

    model: Any
    metadata: dict[str, Any]
    preprocessor: Preprocessor
    class_names: list[str]
    path: Path
    config: Any = None  # TrainConfig of the run that made it, when the file has one

    @classmethod
    def load(cls, path: str | Path) -> TrainedModel:
        """Read ``path`` (``ml.load``; never executes code from the file)."""
        from mlplab.io import ModelFileError, load
        from mlplab.runs.config import ConfigError, make_config

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
        config = None
        if isinstance(metadata.get("config"), dict):
            try:
                config = make_config(metadata["config"])
            except (ConfigError, OSError):
                config = None  # an older or foreign config: predictions do not need it
        names = metadata.get("class_names")
        if not names:
            names = [str(i) for i in range(_output_width(model, pre.input_width))]
        return cls(model, metadata, pre, [str(n) for n in names], path, config)

    @property
    def task(self) -> str:
        return "text" if _is_text_model(self.metadata) else self.metadata.get("task", "classify")

    def trainer(self) -> Any:
        """A Trainer around the loaded weights (for evaluate/predict; weights kept)."""
        import mlplab.nn as nn
        from mlplab.train import Trainer

        smoothing = self.config.label_smoothing if self.config is not None else 0.0
        return Trainer(self.model, nn.CrossEntropyLoss(label_smoothing=smoothing), "sgd",
                       metrics=("accuracy",), verbose=0, reinitialize=False)

    def predict_proba(self, part: Part) -> np.ndarray:
        X, _ = self.preprocessor.transform(part)
        return self.trainer().predict_proba(X)


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
def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _numeric_csv(path: Path) -> np.ndarray:
    """A CSV of numbers, with or without a header row."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle) if any(c.strip() for c in r)]
    if rows and not all(_is_number(c) for c in rows[0]):
        rows = rows[1:]  # a header row
    if not rows:
        raise ValueError(f"input: {path} has no data rows")
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        i = next(i for i, r in enumerate(rows) if len(r) != len(rows[0]))
        raise ValueError(f"input: {path}: row {i + 1} has {len(rows[i])} values, the first "
                         f"row {len(rows[0])}; every row needs the same number of columns")
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if not _is_number(cell):
                raise ValueError(f"input: {path}: row {i + 1}, column {j + 1} is {cell!r}, "
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


# --------------------------------------------------------------------------- predict
@dataclass
class Predictions:
    """Predicted class ids, their names and the class probabilities (n, K)."""

    ids: np.ndarray
    names: list[str]
    proba: np.ndarray
    class_names: list[str]
    output: Path | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_proba(cls, proba: np.ndarray, class_names: list[str],
                   output: str | Path | None = None) -> Predictions:
        """argmax of each row of ``proba``; the CSV is written to ``output`` when given."""
        ids = proba.argmax(axis=1)
        result = cls(ids, [class_names[i] for i in ids], proba, class_names)
        if output is not None:
            write_predictions(result, output)
            result.output = Path(output)
        return result


def write_predictions(predictions: Predictions, target: str | Path | None = None) -> str:
    """CSV with ``row, class, probability`` and one ``p_<class>`` column per class.

    Written atomically to ``target`` when given; the text is returned either way.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["row", "class", "probability",
                     *(f"p_{name}" for name in predictions.class_names)])
    for i, (cid, name) in enumerate(zip(predictions.ids, predictions.names, strict=True)):
        row = predictions.proba[i]
        writer.writerow([i, name, f"{row[cid]:.6f}", *(f"{p:.6f}" for p in row)])
    text = buffer.getvalue()
    if target is not None:
        from mlplab.io.container import write_atomic

        write_atomic(target, text.encode("utf-8"))
    return text


def predict_file(model_path: str | Path, input_path: str | Path,
                 output: str | Path | None = None) -> Predictions:
    """Predict the class of every row of ``input_path`` with the model at ``model_path``."""
    trained = load_trained(model_path)
    if trained.task == "text":
        return _text_support().predict_file(model_path, input_path, output)
    proba = trained.predict_proba(read_inputs(input_path, trained))
    return Predictions.from_proba(proba, trained.class_names, output)


# --------------------------------------------------------------------------- evaluate
@dataclass
class Evaluation:
    """Loss and accuracy of a saved model on a dataset, with the per-class report."""

    metrics: dict[str, float]
    n: int
    split: str
    data: str
    class_names: list[str]
    report: dict[str, Any] = field(repr=False)
    report_text: str = field(repr=False)
    confusion: np.ndarray = field(repr=False)


def _eval_config(trained: TrainedModel, data: str) -> Any:
    from mlplab.runs.config import make_config, parse_data_spec

    spec = parse_data_spec(data)
    encoder = trained.preprocessor.encoder
    if spec.kind == "csv" and encoder is not None and "target" not in spec.options:
        data = f"{data},target={encoder.target}"  # the column the model was trained to predict
    base = trained.config.to_dict() if trained.config is not None else {}
    base.pop("name", None)
    return make_config(base, data=data)


def _numeric_table(part: Part, class_names: list[str]) -> Part:
    """A CSV of numbers plus a label column, for a model trained on arrays (digits, …)."""
    table, target = part.features, part.target
    columns = [c for c in table if c != target]
    try:
        X = np.column_stack([table[c].astype(np.float64) for c in columns])
    except ValueError:
        raise ValueError("data: this model takes numbers, and the CSV has non-numeric "
                         f"feature values; columns: {', '.join(columns)}") from None
    from mlplab.data.tabular import _clean_labels

    labels = _clean_labels(table[target])
    index = {name: i for i, name in enumerate(class_names)}
    unknown = sorted(set(labels.tolist()) - set(index))
    if unknown:
        raise ValueError(f"data: the target column {target!r} holds {unknown[:3]}, which are "
                         f"not among the model's classes {class_names}")
    return Part(X, np.array([index[v] for v in labels.tolist()], dtype=np.int64))


def evaluate_model(model_path: str | Path, data: str, split: str = "auto") -> Evaluation:
    """Evaluate the model at ``model_path`` on the dataset ``data`` (a data source string).

    ``split``: 'test' reproduces the run's test split (same seed and fractions, from the
    model's saved config; MNIST's official test set); 'all' uses every sample (e.g. a new
    CSV file); 'auto' is 'all' for CSV files and 'test' otherwise.
    """
    from mlplab.runs.data import load_all, load_raw_splits
    from mlplab.train.metrics import confusion_matrix, format_report, precision_recall_f1_report

    if split not in SPLITS:
        raise ValueError(f"split: expected one of {', '.join(SPLITS)}, received {split!r}")
    trained = load_trained(model_path)
    if trained.task == "text":
        return _text_support().evaluate_model(model_path, data, split)
    config = _eval_config(trained, data)
    if split == "auto":
        split = "all" if config.data_spec.kind == "csv" else "test"
    part = load_raw_splits(config).test if split == "test" else load_all(config)[0]
    if isinstance(part.features, dict) and trained.preprocessor.encoder is None:
        part = _numeric_table(part, trained.class_names)
    X, y = trained.preprocessor.transform(part)
    if y is None:
        encoder = trained.preprocessor.encoder
        columns = ", ".join(part.features) if isinstance(part.features, dict) else ""
        raise ValueError(f"data: {data} has no target column {encoder.target!r} to evaluate "
                         f"against; its columns are {columns}")
    trainer = trained.trainer()
    metrics = trainer.evaluate(X, y)
    proba = trainer.predict_proba(X)
    names = trained.class_names
    report = precision_recall_f1_report(y, proba, names)
    cm = confusion_matrix(y, proba.argmax(axis=1), num_classes=len(names))
    return Evaluation(metrics, len(y), split, data, names, report, format_report(report), cm)
