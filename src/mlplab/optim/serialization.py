"""Optimizer state to arrays + JSON and back, for ``.npz`` / safetensors checkpoints.

``flatten_state_dict(opt.state_dict())`` splits the state into a dict of named
ndarrays (the per-parameter records, e.g. ``"state/0/v"``) and a JSON-able dict
holding everything else (step counts, hyper-parameters, schedules);
``unflatten_state_dict`` joins them again. Nothing is pickled, so loading never
runs code.

    >>> import json, numpy as np
    >>> arrays, meta = flatten_state_dict(state)                 # doctest: +SKIP
    >>> np.savez(path, **arrays); open(meta_path, "w").write(json.dumps(meta))  # doctest: +SKIP
"""

from __future__ import annotations

import copy
from typing import Any

from mlplab.backend import xp

_ARRAY = "__array__"


def flatten_state_dict(state_dict: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split an optimizer ``state_dict()`` into ``(arrays, meta)``; ``meta`` is JSON-able."""
    arrays: dict[str, Any] = {}
    meta = {k: _jsonable(v) for k, v in state_dict.items() if k != "state"}
    meta["state"] = {}
    for index, record in state_dict.get("state", {}).items():
        fields = {}
        for name, value in record.items():
            if isinstance(value, xp.ndarray):
                key = f"state/{index}/{name}"
                arrays[key] = value
                fields[name] = {_ARRAY: key}
            else:
                fields[name] = _jsonable(value)
        meta["state"][str(index)] = fields
    return arrays, meta


def unflatten_state_dict(arrays: Any, meta: dict[str, Any]) -> dict[str, Any]:
    """Inverse of ``flatten_state_dict`` (``arrays`` may be an open ``np.load`` archive)."""
    out = {k: copy.deepcopy(v) for k, v in meta.items() if k != "state"}
    out["state"] = {}
    for index, record in meta.get("state", {}).items():
        fields = {}
        for name, value in record.items():
            if isinstance(value, dict) and _ARRAY in value:
                if value[_ARRAY] not in arrays:
                    raise ValueError(f"unflatten_state_dict: the array {value[_ARRAY]!r} named "
                                     "in the metadata is missing from the arrays")
                fields[name] = xp.asarray(arrays[value[_ARRAY]])
            else:
                fields[name] = value
        out["state"][int(index)] = fields
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, xp.generic):
        return value.item()
    if isinstance(value, xp.ndarray):
        return value.tolist()
    return value
