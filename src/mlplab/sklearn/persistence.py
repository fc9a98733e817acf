"""``save``/``load`` a fitted estimator as one safe ``ml.save`` model file (never pickle).

The network goes in as any mlplab model (safetensors weights + JSON architecture);
the estimator's parameters and fitted attributes (classes, feature names, loss curve,
…) go in the file's metadata under ``"sklearn"``. ``ml.load`` of the same file gives
the bare network; ``mlplab.sklearn.load`` gives the estimator back, ready to predict.
The optimizer's running state is not kept: ``partial_fit`` after ``load`` starts a
fresh optimizer from the loaded weights.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.preprocessing import LabelBinarizer

from mlplab.backend import default_dtype
from mlplab.checks import ParameterError
from mlplab.io import load as load_model
from mlplab.io import save as save_model
from mlplab.io.schema import ModelFileError

_FITTED = ("n_features_in_", "n_outputs_", "out_activation_", "n_iter_", "t_", "loss_",
           "loss_curve_", "best_loss_", "validation_scores_", "best_validation_score_")


def _plain(value: Any) -> Any:
    """A JSON-friendly copy: tuples → lists, NumPy scalars → Python, ±inf/NaN → strings."""
    if isinstance(value, tuple | list | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _number(value: Any) -> Any:
    if isinstance(value, str) and value in ("inf", "-inf", "nan"):
        return float(value)
    if isinstance(value, list):
        return [_number(v) for v in value]
    return value


def _params(est: Any) -> dict[str, Any]:
    params = {}
    for name, value in est.get_params(deep=False).items():
        if value is not None and not isinstance(value, str | bool | int | float | tuple | list):
            raise ParameterError(
                f"mlplab.sklearn.save: parameter {name}={type(value).__name__} cannot be kept "
                f"in a model file; set it to a plain value first, e.g. "
                f"est.set_params({name}=None)" if name == "random_state" else
                f"mlplab.sklearn.save: parameter {name} is a {type(value).__name__} and cannot "
                "be kept in a model file; use a name or number instead")
        params[name] = _plain(value)
    return params


def save(estimator: Any, path: str | Path) -> Path:
    """Save a fitted ``MLPClassifier``/``MLPRegressor`` to ``path`` atomically."""
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(estimator, "model_")
    fitted = {name: _plain(getattr(estimator, name)) for name in _FITTED
              if hasattr(estimator, name)}
    if hasattr(estimator, "feature_names_in_"):
        fitted["feature_names_in_"] = [str(n) for n in estimator.feature_names_in_]
    if hasattr(estimator, "classes_"):
        fitted["classes_"] = _plain(estimator.classes_)
        fitted["y_type_"] = estimator._label_binarizer.y_type_
    fitted["model_dtype_"] = str(estimator.model_dtype_)
    meta = {"sklearn": {"estimator": type(estimator).__name__,
                        "params": _params(estimator), "fitted": fitted}}
    class_names = fitted.get("classes_")
    if class_names is not None and fitted["out_activation_"] == "softmax":
        meta["class_names"] = [str(c) for c in class_names]
    return save_model(estimator.model_, path, metadata=meta)


def load(path: str | Path) -> Any:
    """The estimator saved by ``save``, ready to ``predict`` (and to fit again)."""
    from mlplab.sklearn.classifier import MLPClassifier
    from mlplab.sklearn.regressor import MLPRegressor

    with default_dtype("float64"):  # float64 holds float32 weights exactly
        model, meta = load_model(path, with_metadata=True)
    saved = meta.get("sklearn")
    kinds = {"MLPClassifier": MLPClassifier, "MLPRegressor": MLPRegressor}
    if not isinstance(saved, dict) or saved.get("estimator") not in kinds:
        raise ModelFileError(f"{path}: this model file holds no scikit-learn estimator; "
                             "load it with ml.load, or save one with mlplab.sklearn.save")
    params = dict(saved["params"])
    if isinstance(params.get("hidden_layer_sizes"), list):
        params["hidden_layer_sizes"] = tuple(params["hidden_layer_sizes"])
    est = kinds[saved["estimator"]](**params)
    fitted = dict(saved["fitted"])
    y_type = fitted.pop("y_type_", None)
    for name, value in fitted.items():
        setattr(est, name, _number(value))
    if "feature_names_in_" in fitted:
        est.feature_names_in_ = np.asarray(fitted["feature_names_in_"], dtype=object)
    est.model_dtype_ = np.dtype(fitted["model_dtype_"])
    if y_type is not None:
        est.classes_ = np.asarray(fitted["classes_"])
        est._label_binarizer = _binarizer(est.classes_, y_type)
    est.model_ = model.to(est.model_dtype_)
    return est


def _binarizer(classes: np.ndarray, y_type: str) -> LabelBinarizer:
    if y_type == "multilabel-indicator":
        return LabelBinarizer().fit(np.eye(max(len(classes), 2), dtype=int)[:, :len(classes)])
    return LabelBinarizer().fit(classes)
