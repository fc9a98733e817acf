"""Split a nested state (dicts, lists, numbers, strings, arrays) into JSON plus named arrays.

Arrays are replaced by ``{"__array__": key}`` references and stored as tensors of
the safetensors file; tuples are marked so they come back as tuples. Nothing in
this format can execute code when read.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def contiguous(value: Any) -> np.ndarray:
    """A C-contiguous array (``np.ascontiguousarray`` would turn 0-d arrays into 1-d)."""
    value = np.asarray(value)
    return value if value.flags.c_contiguous else value.copy(order="C")


def flatten(tree: Any, prefix: str, arrays: dict[str, np.ndarray]) -> Any:
    """Return a JSON-able copy of ``tree``; arrays go into ``arrays`` under ``prefix/...``."""
    if isinstance(tree, np.ndarray):
        key = prefix
        arrays[key] = contiguous(tree)
        return {"__array__": key}
    if isinstance(tree, np.generic):
        return tree.item()
    if isinstance(tree, dict):
        out = {}
        for k, v in tree.items():
            if not isinstance(k, str | int):
                raise TypeError(f"cannot save a dict key of type {type(k).__name__} at {prefix}")
            out[str(k) if isinstance(k, str) else f"__int__{k}"] = flatten(v, f"{prefix}/{k}",
                                                                             arrays)
        return out
    if isinstance(tree, tuple):
        return {"__tuple__": [flatten(v, f"{prefix}/{i}", arrays) for i, v in enumerate(tree)]}
    if isinstance(tree, list):
        return [flatten(v, f"{prefix}/{i}", arrays) for i, v in enumerate(tree)]
    if tree is None or isinstance(tree, bool | int | float | str):
        return tree
    raise TypeError(f"cannot save a value of type {type(tree).__name__} at {prefix}; only "
                    "arrays, numbers, strings, lists and dicts are stored (never pickled objects)")


def unflatten(tree: Any, arrays: dict[str, np.ndarray]) -> Any:
    """Inverse of ``flatten``."""
    if isinstance(tree, dict):
        if set(tree) == {"__array__"}:
            key = tree["__array__"]
            if key not in arrays:
                raise ValueError(f"the file references an array {key!r} that it does not contain")
            return arrays[key]
        if set(tree) == {"__tuple__"}:
            return tuple(unflatten(v, arrays) for v in tree["__tuple__"])
        return {(int(k[len("__int__"):]) if k.startswith("__int__") else k): unflatten(v, arrays)
                for k, v in tree.items()}
    if isinstance(tree, list):
        return [unflatten(v, arrays) for v in tree]
    return tree
