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

from mlplab.checks import POSITIVE_INT, optional
from mlplab.io.architecture import build, check_loadable, describe
from mlplab.io.container import read_file, write_file
from mlplab.io.schema import (
    JSON_OBJECT,
    TEXT,
    Invalid,
    ModelFileError,
    check_depth,
    expect,
    one_line,
    reading,
)
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
    check_loadable(model, header["architecture"])
    check_depth(header["metadata"], "the metadata")
    return write_file(path, arrays, header)


def load(path: str | Path, with_metadata: bool = False) -> Any:
    """Rebuild a model saved by ``ml.save``; never executes code from the file.

    Returns the module (in eval mode), or ``(module, metadata)`` with ``with_metadata=True``.
    Corrupted, truncated, foreign, hostile or newer-version files raise ``ModelFileError``,
    before any layer is built whose weights the file does not hold.
    """
    arrays, meta = read_file(path, kind="model")
    with reading(path):
        state = {k[len("weights/"):]: v for k, v in arrays.items() if k.startswith("weights/")}
        model = build(meta.get("architecture"), {k: v.shape for k, v in state.items()})
        try:
            model.load_state_dict(state)
        except (ValueError, TypeError) as err:
            raise Invalid(f"the model description does not match its weights ({err})") from None
        metadata = expect("the mlplab description", "metadata",
                          unflatten(meta.get("metadata", {}), arrays, "the metadata"),
                          JSON_OBJECT)
        width = expect("the mlplab description", "input_width", meta.get("input_width"),
                       optional(POSITIVE_INT))
        version = expect("the mlplab description", "mlplab_version",
                         meta.get("mlplab_version"), optional(TEXT))
    model.eval()
    metadata.setdefault("input_width", width)
    metadata.setdefault("mlplab_version", version)
    return (model, metadata) if with_metadata else model


def save_state(state: dict[str, Any], path: str | Path, kind: str = "checkpoint") -> Path:
    """Save a nested training state (arrays, numbers, strings) atomically; no pickle."""
    from mlplab.version import __version__

    arrays: dict[str, np.ndarray] = {}
    tree = flatten(state, "state", arrays)
    check_depth(tree, "the state to save")
    return write_file(path, arrays, {"kind": kind, "mlplab_version": __version__, "state": tree})


def load_state(path: str | Path, kind: str = "checkpoint") -> dict[str, Any]:
    """Read a state written by ``save_state``; a damaged file raises ``ModelFileError``."""
    arrays, meta = read_file(path, kind=kind)
    with reading(path):
        if "state" not in meta:
            raise Invalid(f"this mlplab {kind} holds no state")
        return expect(f"the {kind}", "state", unflatten(meta["state"], arrays), JSON_OBJECT)


def restore(target: Any, path: str | Path, kind: str = "checkpoint") -> Any:
    """Load the state in ``path`` into ``target`` (anything with ``state_dict`` and
    ``load_state_dict``, e.g. a Trainer), all or nothing.

    A state that does not fit ``target`` (another model, a damaged or hostile file)
    leaves ``target`` as it was and raises ``ModelFileError``.
    """
    state = load_state(path, kind)
    before, flags = target.state_dict(), _flags(target)
    try:
        target.load_state_dict(state)
    except Exception as err:  # the state comes from a file: any failure means a bad file
        target.load_state_dict(before)
        _set_flags(target, flags)  # e.g. a "resumed" flag that load_state_dict set
        raise ModelFileError(one_line(f"{path}: this {kind} does not fit the "
                                      f"{type(target).__name__} ({type(err).__name__}: "
                                      f"{str(err)[:300]})")) from None
    return target


def _flags(target: Any) -> dict[str, Any]:
    """The plain scalar attributes of ``target`` (counters, flags)."""
    return {k: v for k, v in getattr(target, "__dict__", {}).items()
            if isinstance(v, bool | int | float | str)}


def _set_flags(target: Any, flags: dict[str, Any]) -> None:
    for name in set(_flags(target)) - set(flags):
        delattr(target, name)
    for name, value in flags.items():
        setattr(target, name, value)
