"""Check an architecture description read from a file before any layer is built from it.

A description is a JSON tree::

    {"type": "Sequential", "layers": [{"type": "Linear", "args": {"in_features": 4, …}}, …]}

The check walks it once and refuses, with the path of the offending layer:

* a wrong JSON type anywhere (``layers`` as a string, ``args`` as a list, …);
* nesting beyond ``MAX_DEPTH`` levels or more than ``MAX_MODULES`` layers;
* an unknown layer type, or an argument its class does not take;
* a layer whose parameters (computed from its arguments by ``io.shapes``) do not have
  the shapes of the tensors stored under its name, so nothing is allocated that the
  file does not hold;
* for a registered custom class without ``state_shapes``, an integer argument larger
  than every stored dimension (it could be a size the loader cannot check).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import mlplab.nn as nn
from mlplab.checks import ParameterError, shown, unknown
from mlplab.io.schema import JSON_LIST, JSON_OBJECT, TEXT, Invalid, check_depth, expect
from mlplab.io.shapes import SHAPE_RULES, SIZED_BY_ARGUMENTS, shape_rule

MAX_MODULES = 100_000
"""Most layers a description may name (each costs ~1 KB of Python objects)."""

SMALL_ARGUMENT = 1024
"""An integer argument of a custom class up to this (or up to the largest stored dimension)
is accepted without a shape rule: a weak bound, which ``state_shapes`` makes exact."""

NOT_ARGUMENTS = frozenset({"self", "seed", "rng", "dtype", "init", "weight_init", "bias_init"})
"""Constructor arguments ``describe`` never writes (weights come from the file instead)."""


def check_description(description: Any, registry: dict[str, type],
                      stored: dict[str, tuple[int, ...]] | None = None) -> None:
    """Raise ``Invalid`` unless ``description`` can be built safely (see the module doc).

    ``stored`` maps the state keys in the file to their shapes; None skips the shape check.
    """
    check_depth(description, "the architecture")
    largest = max((max(shape, default=0) for shape in (stored or {}).values()), default=0)
    walk = _Walk(registry, stored, max(SMALL_ARGUMENT, largest))
    walk.node(description, "architecture", "")


class _Walk:
    def __init__(self, registry: dict[str, type], stored: dict[str, tuple[int, ...]] | None,
                 int_bound: int) -> None:
        self.registry, self.stored, self.int_bound = registry, stored, int_bound
        self.count = 0

    def node(self, node: Any, where: str, prefix: str) -> None:
        self.count += 1
        if self.count > MAX_MODULES:
            raise Invalid(f"the architecture names more than {MAX_MODULES} layers")
        expect(where, "layer", node, JSON_OBJECT)
        kind = expect(where, "type", node.get("type"), TEXT)
        if kind not in self.registry:
            listed = unknown(where, "layer type", kind[:100], self.registry)
            raise Invalid(f"{listed}; register custom classes with ml.io.register_module "
                          "before loading")
        extra = set(node) - {"type", "args", "layers"}
        if extra:
            raise Invalid(f"{where}: unexpected field {sorted(extra)[0][:40]!r} in a layer")
        where = f"{where} ({kind})"
        if is_container(self.registry[kind]):
            if node.get("args", {}) != {}:
                raise Invalid(f"{where}: a container takes layers, not args")
            children = expect(where, "layers", node.get("layers"), JSON_LIST)
            for i, child in enumerate(children):
                self.node(child, f"{where}.layers[{i}]", f"{prefix}{i}.")
            return
        if "layers" in node:
            raise Invalid(f"{where}: only Sequential and ModuleList have layers")
        args = expect(where, "args", node.get("args", {}), JSON_OBJECT)
        self.layer(self.registry[kind], args, where, prefix)

    def layer(self, cls: type, args: dict[str, Any], where: str, prefix: str) -> None:
        bound = bind_arguments(cls, args, where)
        rule = shape_rule(cls)
        if rule is None:
            if cls not in SIZED_BY_ARGUMENTS:
                self.check_small(args, where)
            return
        try:
            expected = rule(**bound)
        except (ParameterError, TypeError, ValueError) as err:  # a custom rule may raise these
            raise Invalid(f"{where}: {err}") from None
        if self.stored is not None:
            self.compare(expected, where, prefix)

    def compare(self, expected: dict[str, tuple[int, ...]], where: str, prefix: str) -> None:
        for name, shape in expected.items():
            found = self.stored.get(prefix + name)
            if found is None:
                raise Invalid(f"{where} needs a tensor {prefix + name!r} of shape "
                              f"{_shape(shape)}; the file holds none")
            if tuple(found) != tuple(shape):
                raise Invalid(f"{where} needs {prefix + name!r} of shape {_shape(shape)}; the "
                              f"file holds shape {_shape(found)}")

    def check_small(self, args: dict[str, Any], where: str) -> None:
        stack = list(args.items())
        while stack:
            name, value = stack.pop()
            if isinstance(value, list | dict):
                stack.extend((name, v) for v in (value.values() if isinstance(value, dict)
                                                 else value))
            elif isinstance(value, int) and abs(value) > self.int_bound:
                raise Invalid(f"{where}: argument {name!r} is {shown(value)}, larger than any "
                              "tensor in the file; give the class a state_shapes(**args) "
                              "method so the loader can check the sizes it implies")


@functools.lru_cache(maxsize=256)
def _signature(cls: type) -> inspect.Signature | None:
    """``inspect.signature(cls)``, computed once per class (it is slow, layers are many)."""
    try:
        return inspect.signature(cls)
    except (TypeError, ValueError):
        return None


def bind_arguments(cls: type, args: dict[str, Any], where: str) -> dict[str, Any]:
    """``args`` completed with ``cls``'s defaults; an argument it does not take is refused."""
    signature = _signature(cls)
    if signature is None:
        return dict(args)
    parameters = signature.parameters
    takes_any = any(p.kind == p.VAR_KEYWORD for p in parameters.values())
    # a get_config() may store any of its arguments; describe() skips only these
    skipped = frozenset({"self"}) if hasattr(cls, "get_config") else NOT_ARGUMENTS
    for name in args:
        if not takes_any and (name not in parameters or name in skipped):
            valid = [n for n in parameters if n not in skipped]
            raise unknown(where, "argument", name[:100], valid)
    try:
        bound = signature.bind(**args)
    except TypeError as err:  # a required argument is missing
        raise Invalid(f"{where}: {err}") from None
    bound.apply_defaults()
    return {name: value for name, value in bound.arguments.items()
            if parameters[name].kind not in (inspect.Parameter.VAR_POSITIONAL,
                                             inspect.Parameter.VAR_KEYWORD)}


def is_container(cls: type) -> bool:
    """Sequential and ModuleList are described by their layers, not by arguments."""
    return cls is nn.Sequential or cls is nn.ModuleList


def _shape(shape: Any) -> str:
    text = str(tuple(shape))
    return text if len(text) <= 60 else text[:57] + "..."


__all__ = ["MAX_MODULES", "SHAPE_RULES", "bind_arguments", "check_description", "is_container"]
