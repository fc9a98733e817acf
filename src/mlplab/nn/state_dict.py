"""``state_dict`` / ``load_state_dict``: a model's parameters and buffers as named arrays.

Keys are the dotted names of ``named_parameters``/``named_buffers`` (PyTorch's, so
a state dict loads into the PyTorch twin of a model and back). Loading copies into
the existing arrays, so Parameter objects held by an optimizer stay valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlplab.autograd.tensor import Tensor
from mlplab.backend import xp

if TYPE_CHECKING:
    from mlplab.nn.module import Module


def _entries(model: Module) -> dict[str, tuple[Module, str, str]]:
    """Key → (owning module, '_parameters' or '_buffers', attribute name)."""
    entries: dict[str, tuple[Module, str, str]] = {}
    for module_name, module in model.named_modules():
        dot = f"{module_name}." if module_name else ""
        for name, p in module._parameters.items():
            if p is not None:
                entries[dot + name] = (module, "_parameters", name)
        for name, b in module._buffers.items():
            if b is not None and name not in module._non_persistent:
                entries[dot + name] = (module, "_buffers", name)
    return entries


def _array(module: Module, store: str, name: str) -> Any:
    value = getattr(module, store)[name]
    return value.data if store == "_parameters" else value


def collect_state(model: Module) -> dict[str, Any]:
    """Name → a copy of the array, parameters and persistent buffers, module by module."""
    return {key: _array(*entry).copy() for key, entry in _entries(model).items()}


def load_state(model: Module, state: dict[str, Any], strict: bool) -> tuple[list[str], list[str]]:
    """Copy ``state`` into ``model`` in place; returns (missing keys, unexpected keys)."""
    entries = _entries(model)
    missing = [k for k in entries if k not in state]
    unexpected = [k for k in state if k not in entries]
    pairs, mismatched = [], []
    for key, entry in entries.items():
        if key not in state:
            continue
        value = state[key]
        value = xp.asarray(value.data if isinstance(value, Tensor) else value)
        target = _array(*entry)
        if value.shape != target.shape:
            mismatched.append(f"{key!r} has shape {value.shape} in the state dict but "
                              f"{target.shape} in the model")
        pairs.append((target, value))
    problems = []
    if strict and missing:
        problems.append("missing keys: " + ", ".join(map(repr, missing)))
    if strict and unexpected:
        problems.append("unexpected keys: " + ", ".join(map(repr, unexpected)))
    if mismatched:
        problems.append("shape mismatch: " + "; ".join(mismatched))
    if problems:
        fix = "build the model with the same architecture as the saved one"
        if not mismatched:
            fix += ", or pass strict=False to load the keys that match"
        raise ValueError(f"load_state_dict for {type(model).__name__}: " + "; ".join(problems)
                         + f". Fix: {fix}")
    for target, value in pairs:
        target[...] = value
    return missing, unexpected
