"""Writing settings as TOML (Python reads TOML with ``tomllib`` but cannot write it)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["toml_document", "toml_value"]


def toml_value(value: Any) -> str:
    """One TOML value: ``true``, ``0.001``, ``"relu"``, ``[128, 64]``, ``{"a" = 1}``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in
                               value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def toml_document(values: dict[str, Any], table: str, header: str) -> str:
    """Top-level ``key = value`` lines, then the dict ``values[table]`` as ``[table]``.

    TOML has no null: a None value is left out, which means "the default" when read back.
    """
    values = dict(values)
    nested = values.pop(table, None) or {}
    lines = [header]
    lines += [f"{key} = {toml_value(value)}" for key, value in values.items()
              if value is not None]
    if nested:
        lines += ["", f"[{table}]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in nested.items() if v is not None]
    return "\n".join(lines) + "\n"
