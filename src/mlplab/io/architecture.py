"""Describe a model's architecture as JSON, and rebuild it from that description.

A description names each layer's class and the constructor arguments that fix its
shape (``{"type": "Linear", "args": {"in_features": 784, "out_features": 256}}``);
containers list their children. Rebuilding only instantiates classes from a
registry (mlplab.nn's layers plus what ``register_module`` added), never an
arbitrary import path, so a model file cannot make the loader run foreign code.
"""

from __future__ import annotations

import inspect
from typing import Any

import mlplab.nn as nn
from mlplab.io.description import NOT_ARGUMENTS, check_description, is_container
from mlplab.io.schema import Invalid, one_line

_EXTRA: dict[str, type] = {}


def register_module(cls: type) -> type:
    """Allow ``ml.load`` to rebuild instances of a custom Module class (usable as decorator).

    The class must be importable when loading, and its constructor arguments must be
    stored as same-named attributes (or the class defines ``get_config() -> dict``).
    """
    _EXTRA[cls.__name__] = cls
    return cls


def _registry() -> dict[str, type]:
    classes = {name: obj for name, obj in vars(nn).items()
               if isinstance(obj, type) and issubclass(obj, nn.Module)}
    return {**classes, **_EXTRA}


def _json_value(name: str, value: Any, owner: str) -> Any:
    if isinstance(value, nn.Parameter):
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
    """The constructor arguments of ``module``, read back from same-named attributes.

    An argument the module does not keep under its own name could not be restored on
    load (it would silently come back as its default), so it is refused here, at save.
    """
    if hasattr(module, "get_config"):
        return dict(module.get_config())
    owner = type(module).__name__
    config: dict[str, Any] = {}
    for name, param in inspect.signature(type(module).__init__).parameters.items():
        if name in NOT_ARGUMENTS or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue  # weights are loaded from the file; how they were first drawn is moot
        if not hasattr(module, name):
            raise TypeError(f"cannot save a {owner}: its constructor argument {name!r} is not "
                            f"kept as self.{name}, so loading would silently use the default; "
                            f"store it as self.{name} or give the class a get_config() method")
        value = getattr(module, name)
        # Linear(bias=False) keeps ``bias = None``; a bias Parameter means bias=True
        config[name] = False if name == "bias" and value is None else _json_value(
            name, value, owner)
    return config


def describe(module: Any) -> dict[str, Any]:
    """JSON description of ``module`` (recursively for Sequential/ModuleList)."""
    kind = type(module).__name__
    if kind not in _registry():
        raise TypeError(f"cannot save a {kind}: only mlplab.nn layers and classes registered "
                        "with ml.io.register_module can be described in a model file")
    if is_container(type(module)):
        return {"type": kind, "layers": [describe(child) for child in module]}
    return {"type": kind, "args": layer_config(module)}


def build(description: Any, stored: dict[str, tuple[int, ...]] | None = None) -> Any:
    """Instantiate the module a description names (weights still to be loaded).

    The description is checked first (``check_description``); with ``stored`` (state
    key → shape of the tensors at hand) no layer is built whose parameters would not
    match them. A bad description raises ``ValueError`` naming the layer.
    """
    registry = _registry()
    check_description(description, registry, stored)
    return _build(description, registry, "architecture")


def check_loadable(model: Any, description: dict[str, Any]) -> None:
    """Refuse to save what ``load`` would refuse (e.g. a custom size argument it cannot check)."""
    shapes = {name: tuple(value.shape) for name, value in model.state_dict().items()}
    try:
        check_description(description, _registry(), shapes)
    except Invalid as err:
        raise ValueError(f"cannot save this model, it could not be loaded back: {err}") from None


def _build(node: dict[str, Any], registry: dict[str, type], where: str) -> Any:
    kind = node["type"]
    cls = registry[kind]
    where = f"{where} ({kind})"
    if is_container(cls):
        children = [_build(child, registry, f"{where}.layers[{i}]")
                    for i, child in enumerate(node["layers"])]
        return cls(children) if cls is nn.ModuleList else cls(*children)
    try:
        return cls(**node.get("args", {}))
    except Exception as err:  # the arguments come from a file: any failure means a bad file
        raise Invalid(f"{where} cannot be built from the file's arguments "
                      f"({type(err).__name__}: {one_line(str(err))[:300]})") from None
