"""Split a nested state (dicts, lists, numbers, strings, arrays) into JSON plus named arrays.

Arrays are replaced by ``{"__array__": key}`` references and stored as tensors of
the safetensors file; tuples are marked so they come back as tuples. Nothing in
this format can execute code when read.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from mlplab.io.schema import JSON_LIST, Invalid, describe_value, expect


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


def unflatten(tree: Any, arrays: dict[str, np.ndarray], where: str = "the state") -> Any:
    """Inverse of ``flatten``; a malformed tree (from a damaged file) raises ``Invalid``.

    The recursion is as deep as the tree, which ``schema.parse_json`` has bounded.
    """
    if isinstance(tree, list):
        return [unflatten(v, arrays, f"{where}[{i}]") for i, v in enumerate(tree)]
    if not isinstance(tree, dict):
        return tree
    if set(tree) == {"__array__"}:
        key = tree["__array__"]
        if not isinstance(key, str) or key not in arrays:
            raise Invalid(f"{where} refers to an array {describe_value(key)} that the file "
                          "does not contain")
        return arrays[key]
    if set(tree) == {"__tuple__"}:
        items = expect(where, "__tuple__", tree["__tuple__"], JSON_LIST)
        return tuple(unflatten(v, arrays, f"{where}[{i}]") for i, v in enumerate(items))
    return {_key(k, where): unflatten(v, arrays, f"{where}/{k[:40]}") for k, v in tree.items()}


def _key(key: str, where: str) -> str | int:
    """A dict key as saved: ``"__int__3"`` stands for the int 3."""
    if not key.startswith("__int__"):
        return key
    digits = key[len("__int__"):]
    if not re.fullmatch(r"-?[0-9]{1,19}", digits):
        raise Invalid(f"{where} has a malformed integer key {describe_value(key)}")
    return int(digits)
