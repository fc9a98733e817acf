"""What is being exported: the network, its fitted input scaler and its class names.

``to_onnx`` accepts a model in any form a user holds one: an ``ml.nn`` module, a
``Trainer``, a ``TextClassifier``, a loaded run model (``mlplab.runs.load_trained``),
or the path of a saved model file or run folder. This module reduces each of them
to an :class:`Exportable`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import mlplab.nn as nn
from mlplab.checks import ParameterError, shown

MODEL_FILE = "model.safetensors"


@dataclass
class Exportable:
    """A network with what turns raw inputs into its inputs and its outputs into names."""

    network: Any
    scaler: Any = None  # a fitted Standardizer / MinMaxScaler, applied before the network
    class_names: list[str] | None = None
    input_width: int | None = None
    notes: dict[str, str] = field(default_factory=dict)  # more metadata for the file


def model_path(path: str | Path, owner: str) -> Path:
    """A saved model file, or the ``model.safetensors`` inside a run folder."""
    path = Path(path)
    if path.is_dir():
        if not (path / MODEL_FILE).is_file():
            raise FileNotFoundError(f"{owner}: {path} is a folder without a {MODEL_FILE}; pass "
                                    f"a run folder (e.g. runs/digits) or a model file")
        return path / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{owner}: model file not found: {path}; pass a saved model "
                                f"(e.g. runs/digits/{MODEL_FILE}) or a run folder")
    return path


def _from_file(path: str | Path, owner: str) -> Exportable:
    from mlplab.runs import load_trained

    trained = load_trained(model_path(path, owner))
    found = _from_object(trained, owner)
    text = trained.metadata.get("text_classifier")
    if text:
        found.class_names = [str(n) for n in text.get("class_names") or []] or None
    return found


def _names(value: Any) -> list[str] | None:
    names = value if isinstance(value, list | tuple) else None
    return [str(n) for n in names] if names else None


def _from_object(source: Any, owner: str) -> Exportable:
    """A Trainer, TextClassifier or TrainedModel: anything with a ``model`` module."""
    network = getattr(source, "model", None)
    if not isinstance(network, nn.Module):
        raise ParameterError(f"{owner}: model must be an ml.nn module, a Trainer, a "
                             f"TextClassifier, a loaded run model or a model file path, got "
                             f"{type(source).__name__}")
    found = Exportable(network)
    metadata = getattr(source, "metadata", None)
    metadata = metadata if isinstance(metadata, dict) else {}
    pre = getattr(source, "preprocessor", None)
    if pre is not None:
        found.scaler, found.input_width = pre.scaler, pre.input_width
        if pre.encoder is not None:
            found.notes["input"] = ("columns encoded by the model's TabularEncoder "
                                    "(categories one-hot, missing numbers filled), in Python")
    found.input_width = found.input_width or metadata.get("input_width")
    found.class_names = _names(metadata.get("class_names")) or (
        _names(getattr(source, "class_names", None)) if metadata.get("target") is None
        else None)
    if hasattr(source, "vectorizer"):
        found.notes["input"] = "TF-IDF vectors from the model's TextVectorizer, in Python"
    target = metadata.get("target")
    if isinstance(target, dict):  # a regression run: value = mean + std · output
        found.notes["target_mean"] = str(target.get("mean"))
        found.notes["target_std"] = str(target.get("std"))
    return found


def exportable(model: Any, owner: str) -> Exportable:
    """Reduce ``model`` (module, Trainer, TextClassifier, run model or path) to its parts."""
    if isinstance(model, str | Path):
        return _from_file(model, owner)
    if isinstance(model, nn.Module):
        return Exportable(model)
    return _from_object(model, owner)


def fitted_scaler(preprocessing: Any, found: Exportable, owner: str) -> Any:
    """The scaler to fold in: the model's own (True), none (False) or one passed in."""
    if preprocessing is True:
        return found.scaler
    if preprocessing is False or preprocessing is None:
        return None
    from mlplab.data import MinMaxScaler, Standardizer

    if not isinstance(preprocessing, Standardizer | MinMaxScaler):
        raise ParameterError(f"{owner}: preprocessing must be True, False or a fitted "
                             f"Standardizer/MinMaxScaler, got {shown(preprocessing)}")
    if not getattr(preprocessing, "n_features_in_", 0):
        raise ParameterError(f"{owner}: the {type(preprocessing).__name__} is not fitted; "
                             "call .fit(X_train) first")
    return preprocessing


def scaler_affine(scaler: Any) -> tuple[np.ndarray, np.ndarray, str]:
    """A scaler as x ↦ (x − a)/b (Standardizer: a = μ, b = σ) or x·a + b (MinMaxScaler)."""
    from mlplab.data import Standardizer

    if isinstance(scaler, Standardizer):
        return np.asarray(scaler.mean_), np.asarray(scaler.scale_), "standardize"
    return np.asarray(scaler.scale_), np.asarray(scaler.min_), "minmax"
