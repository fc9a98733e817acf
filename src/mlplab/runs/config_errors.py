"""A pydantic ``ValidationError`` of a ``TrainConfig`` as one line in the ``mlplab.checks`` style.

    config: batch_size must be an integer >= 1, got 0; e.g. batch_size=32

The range a setting must lie in is read from its declared type (``Field(ge=1)``,
``Literal[...]``, a list of them), turned into the matching ``mlplab.checks``
constraint, and described by it: the declaration is the only statement of the rule.
Messages that a validator wrote itself (names, checks across settings) pass through.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import ValidationError

from mlplab import checks

__all__ = ["ConfigError", "constraint_of", "one_line"]

OWNER = "config"
"""How config messages start, e.g. 'config: lr must be …'."""


class ConfigError(ValueError):
    """A configuration value (or file) that cannot be used; the message is one line."""


def _interval(base: Any, metadata: list[Any]) -> checks.Interval | None:
    """The interval that pydantic's gt/ge/lt/le constraints in ``metadata`` declare."""
    bounds: dict[str, Any] = {}
    for item in metadata:
        for inner in (item, *getattr(item, "metadata", ())):  # a FieldInfo holds its own
            for attr in ("gt", "ge", "lt", "le"):
                if getattr(inner, attr, None) is not None:
                    bounds[attr] = getattr(inner, attr)
    if not bounds:
        return None
    low, high = bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))
    closed = {(True, True): "both", (True, False): "left", (False, True): "right",
              (False, False): "neither"}["gt" not in bounds, "lt" not in bounds]
    return checks.Interval(low, high, closed, integer=base is int)


def constraint_of(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> Any:
    """The ``mlplab.checks`` constraint that describes a pydantic type annotation."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _interval(args[0], [*args[1:], *metadata]) or constraint_of(args[0])
    if metadata and (found := _interval(annotation, list(metadata))) is not None:
        return found
    if origin in (typing.Union, types.UnionType):
        return checks.AnyOf(tuple(constraint_of(a) for a in args))
    if origin is list:
        item = constraint_of(args[0])
        return checks.Satisfies(lambda v: False, f"a list, each {item.describe()}")
    if origin is Literal:
        return checks.OneOf(args)
    simple = {bool: checks.BOOLEAN, int: checks.Interval(integer=True), float: checks.Interval(),
              str: checks.InstanceOf((str,), "a string"), type(None): checks.NONE,
              dict: checks.InstanceOf((dict,), "a table of settings")}
    return simple.get(origin or annotation, checks.InstanceOf((object,), str(annotation)))


def _list_item(annotation: Any) -> Any:
    """The item type of the list in ``annotation`` (a list, or a union holding one)."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    lists = [get_args(a)[0] for a in get_args(annotation) if get_origin(a) is list]
    return lists[0] if lists else annotation


def _example(field: Any) -> str:
    from mlplab.runs.toml_text import toml_value

    if field.examples:
        return str(field.examples[0])
    return "" if field.default is None else toml_value(field.default)


def _pick(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The error of the first setting, choosing the union branch the input was meant for."""
    first = errors[0]
    same = [e for e in errors if e["loc"][:1] == first["loc"][:1]]
    indexed = [e for e in same if any(isinstance(p, int) for p in e["loc"])]
    return indexed[0] if indexed else first


def _unknown_setting(name: str, known: list[str], aliases: dict[str, str]) -> str:
    hint = (f"; did you mean {aliases[name]!r}?" if name in aliases
            else checks.did_you_mean(name, known))
    if not hint and (alias := checks.closest(name, list(aliases))) is not None:
        hint = f"; did you mean {aliases[alias]!r}?"
    return (f"{OWNER}: unknown setting {name!r}{hint}; 'mlplab train --help' lists the "
            f"{len(known)} settings (docs/cli.md explains them)")


def one_line(err: ValidationError, model: Any, aliases: dict[str, str]) -> str:
    """The first problem of ``err`` (raised building ``model``) as one line naming the setting."""
    error = _pick(err.errors(include_url=False))
    loc = [p for p in error["loc"] if isinstance(p, int) or p in model.model_fields
           or p == "__root__"]
    setting = str(loc[0]) if loc else ""
    if error["type"] == "extra_forbidden":
        return _unknown_setting(str(error["loc"][0]), list(model.model_fields), aliases)
    if error["type"] in ("value_error", "assertion_error") or setting not in model.model_fields:
        message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return " ".join(message.split())
    field = model.model_fields[setting]
    indices = [p for p in loc[1:] if isinstance(p, int)]
    if indices:
        constraint = constraint_of(_list_item(field.annotation))
        name = setting + "".join(f"[{i}]" for i in indices)
    else:
        constraint = constraint_of(field.annotation, field.metadata)
        name = setting
    example = _example(field)
    if dataclasses.is_dataclass(constraint) and example and not indices:
        constraint = dataclasses.replace(constraint, example=example)
    return str(checks.invalid(OWNER, name, error.get("input"), constraint))
