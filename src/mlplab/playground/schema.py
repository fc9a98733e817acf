"""``GET /api/schema``: every config field with the metadata the page builds controls from."""

from __future__ import annotations

import typing
from functools import lru_cache
from typing import Any

from mlplab.playground.config import TF_COMPAT, PlaygroundConfig
from mlplab.playground.datasets import dataset_catalog


def field_type(annotation: Any) -> str:
    """"bool", "int", "float", "enum", "list[int]", "list[enum]" or "list[str]"."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # a bounded number: the bounds go to min/max
        return field_type(typing.get_args(annotation)[0])
    if origin is list:
        return f"list[{field_type(typing.get_args(annotation)[0])}]"
    if origin is typing.Literal:
        return "enum"
    return {bool: "bool", int: "int", float: "float"}.get(annotation, "str")


def _bounds(info: Any) -> dict[str, float]:
    """min/max of a number, or of each entry of a per-layer list of bounded numbers."""
    out: dict[str, float] = {}
    metadata = list(info.metadata)
    if typing.get_origin(info.annotation) is list:
        item = typing.get_args(info.annotation)[0]
        if typing.get_origin(item) is typing.Annotated:
            metadata += [m for a in typing.get_args(item)[1:] for m in getattr(a, "metadata", [a])]
    for item in metadata:
        for attr, key in (("ge", "min"), ("gt", "min"), ("le", "max"), ("lt", "max")):
            value = getattr(item, attr, None)
            if value is not None:
                out[key] = value
    return out


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    fields = {}
    for name, info in PlaygroundConfig.model_fields.items():
        extra = dict(info.json_schema_extra or {})
        entry = {"type": field_type(info.annotation), "default": info.default,
                 "url_key": extra["url_key"], "resets": extra["resets"],
                 "label": extra["label"], **_bounds(info)}
        if "choices" in extra:
            entry["choices"] = extra["choices"]
        fields[name] = entry
    return {"v": 1, "fields": fields, "datasets": dataset_catalog(),
            "presets": {"tf_compat": TF_COMPAT}}
