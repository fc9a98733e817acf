"""Describe a model's architecture as JSON, and rebuild it from that description.

A description names each layer's class and the constructor arguments that fix its
shape (``{"type": "Linear", "args": {"in_features": 784, "out_features": 256}}``);
containers list their children. Rebuilding only instantiates classes from a
registry (mlplab.nn's layers plus what ``register_module`` added), never an
arbitrary import path, so a model file cannot make the loader run foreign code.
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any

_EXTRA: dict[str, type] = {}
_SKIPPED_ARGS = {"self", "seed", "rng", "args", "kwargs", "dtype"}


def register_module(cls: type) -> type:
    """Allow ``ml.load`` to rebuild instances of a custom Module class (usable as decorator).

    The class must be importable when loading, and its constructor arguments must be
    stored as same-named attributes (or the class defines ``get_config() -> dict``).
    """
    _EXTRA[cls.__name__] = cls
    return cls


def _registry() -> dict[str, type]:
    import mlplab.nn as nn

    classes = {name: obj for name, obj in vars(nn).items()
               if isinstance(obj, type) and issubclass(obj, nn.Module)}
    return {**classes, **_EXTRA}


def _json_value(name: str, value: Any, owner: str) -> Any:
    from mlplab.nn import Parameter

    if isinstance(value, Parameter):
        return True  # e.g. Linear's ``bias``: the argument was truthy
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    raise TypeError(f"cannot describe {owner}: argument {name!r} holds a "
                    f"{type(value).__name__}; give the class a get_config() method")


def layer_config(module: Any) -> dict[str, Any]:
    """The constructor arguments of ``module`` that can be read back from it."""
    if hasattr(module, "get_config"):
        return dict(module.get_config())
    config: dict[str, Any] = {}
    signature = inspect.signature(type(module).__init__)
    for name, param in signature.parameters.items():
        if name in _SKIPPED_ARGS or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if name in ("init", "weight_init", "bias_init"):
            continue  # weights are loaded from the file; how they were first drawn is moot
        if name == "bias" and not hasattr(module, "bias"):
            continue
        if hasattr(module, name):
            value = getattr(module, name)
            config[name] = False if name == "bias" and value is None else _json_value(
                name, value, type(module).__name__)
    return config


def describe(module: Any) -> dict[str, Any]:
    """JSON description of ``module`` (recursively for Sequential/ModuleList)."""
    kind = type(module).__name__
    if kind not in _registry():
        raise TypeError(f"cannot save a {kind}: only mlplab.nn layers and classes registered "
                        "with ml.io.register_module can be described in a model file")
    if kind in ("Sequential", "ModuleList"):
        return {"type": kind, "layers": [describe(child) for child in module]}
    return {"type": kind, "args": layer_config(module)}


def build(description: dict[str, Any]) -> Any:
    """Instantiate the module a description names (weights still to be loaded)."""
    registry = _registry()
    kind = description.get("type")
    if kind not in registry:
        close = difflib.get_close_matches(str(kind), list(registry), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"the model file names an unknown layer type {kind!r}{hint}; register "
                         "custom classes with ml.io.register_module before loading")
    cls = registry[kind]
    if "layers" in description:
        children = [build(child) for child in description["layers"]]
        return cls(children) if kind == "ModuleList" else cls(*children)
    args = description.get("args", {})
    if not isinstance(args, dict):
        raise ValueError(f"the model file has malformed arguments for {kind}")
    return cls(**args)
