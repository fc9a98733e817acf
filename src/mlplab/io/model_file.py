"""``ml.save`` / ``ml.load``: a model as one safe file — weights plus what is needed to use it.

The file holds the weights (safetensors) and a JSON description: the architecture,
the library version, the input width, and optional metadata such as class names
and preprocessing parameters (a fitted ``Standardizer``, a text vectorizer's
vocabulary), so that a model predicts from raw inputs after reload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mlplab.io.architecture import build, describe
from mlplab.io.container import ModelFileError, read_file, write_file
from mlplab.io.tree import contiguous, flatten, unflatten


def _input_width(model: Any) -> int | None:
    for name, param in model.named_parameters():
        if name.endswith("weight") and param.data.ndim == 2:
            return int(param.data.shape[-1])
    return None


def save(model: Any, path: str | Path, metadata: dict[str, Any] | None = None) -> Path:
    """Save ``model`` (an ``ml.nn`` module) to ``path`` atomically.

    Args:
        model: the module; its architecture must be describable (mlplab.nn layers, or
            classes registered with ``ml.io.register_module``).
        path: the file to write (conventionally ``*.safetensors``).
        metadata: JSON-able data (and NumPy arrays) to keep with the model, e.g.
            ``{"class_names": [...], "preprocessing": standardizer.to_dict()}``.

    Returns the path written.
    """
    from mlplab.version import __version__

    arrays: dict[str, np.ndarray] = {}
    for name, value in model.state_dict().items():
        arrays[f"weights/{name}"] = contiguous(value)
    header = {
        "kind": "model",
        "mlplab_version": __version__,
        "architecture": describe(model),
        "input_width": _input_width(model),
        "metadata": flatten(metadata or {}, "metadata", arrays),
    }
    return write_file(path, arrays, header)


def load(path: str | Path, with_metadata: bool = False) -> Any:
    """Rebuild a model saved by ``ml.save``; never executes code from the file.

    Returns the module (in eval mode), or ``(module, metadata)`` with ``with_metadata=True``.
    Corrupted, truncated, foreign or newer-version files raise ``ModelFileError``.
    """
    arrays, meta = read_file(path, kind="model")
    try:
        model = build(meta["architecture"])
        state = {k[len("weights/"):]: v for k, v in arrays.items() if k.startswith("weights/")}
        model.load_state_dict(state)
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFileError(f"{path}: the model description does not match its weights "
                             f"({err})") from None
    model.eval()
    metadata = unflatten(meta.get("metadata", {}), arrays)
    metadata.setdefault("input_width", meta.get("input_width"))
    metadata.setdefault("mlplab_version", meta.get("mlplab_version"))
    return (model, metadata) if with_metadata else model


def save_state(state: dict[str, Any], path: str | Path, kind: str = "checkpoint") -> Path:
    """Save a nested training state (arrays, numbers, strings) atomically; no pickle."""
    from mlplab.version import __version__

    arrays: dict[str, np.ndarray] = {}
    tree = flatten(state, "state", arrays)
    return write_file(path, arrays, {"kind": kind, "mlplab_version": __version__, "state": tree})


def load_state(path: str | Path, kind: str = "checkpoint") -> dict[str, Any]:
    """Read a state written by ``save_state``."""
    arrays, meta = read_file(path, kind=kind)
    return unflatten(meta["state"], arrays)
