"""The page's commands (``POST /api/cmd``), checked at the boundary with pydantic.

Each op is a small model; :func:`parse_command` turns a JSON object into one, or raises
ParameterError with one line. The worker thread applies them between training steps
(:meth:`mlplab.playground.session.Session.apply`).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from mlplab.checks import ParameterError, did_you_mean, shown


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Simple(_Op):
    op: Literal["play", "pause", "step_batch", "reset", "new_weights", "regenerate"]


class Step(_Op):
    op: Literal["step"]
    epochs: int = Field(1, ge=1, le=10000)


class Set(_Op):
    op: Literal["set"]
    config: dict[str, Any]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


class EditWeight(_Op):
    op: Literal["edit_weight"]
    layer: int = Field(ge=0)
    to: int = Field(ge=0)
    from_: int = Field(ge=0, alias="from")
    value: float

    _check = field_validator("value")(classmethod(lambda cls, v: _finite(v)))


class EditBias(_Op):
    op: Literal["edit_bias"]
    layer: int = Field(ge=0)
    unit: int = Field(ge=0)
    value: float

    _check = field_validator("value")(classmethod(lambda cls, v: _finite(v)))


class AddPoint(_Op):
    op: Literal["add_point"]
    x: float = Field(ge=-6, le=6)
    y: float = Field(ge=-6, le=6)
    label: float
    test: bool = False

    _check = field_validator("label")(classmethod(lambda cls, v: _finite(v)))


class RemovePoint(_Op):
    op: Literal["remove_point"]
    x: float = Field(ge=-6, le=6)
    y: float = Field(ge=-6, le=6)


class Speed(_Op):
    op: Literal["speed"]
    epochs_per_frame: int | Literal["max"]

    @field_validator("epochs_per_frame")
    @classmethod
    def _range(cls, v: Any) -> Any:
        if v != "max" and not 1 <= v <= 1000:
            raise ValueError("must be 1 to 1000 or 'max'")
        return v


Command = Annotated[Simple | Step | Set | EditWeight | EditBias | AddPoint | RemovePoint |
                    Speed, Field(discriminator="op")]
OPS = ("play", "pause", "step", "step_batch", "reset", "new_weights", "regenerate", "set",
       "edit_weight", "edit_bias", "add_point", "remove_point", "speed")
_ADAPTER: TypeAdapter = TypeAdapter(Command)
_EXAMPLES = {"step": '{"op": "step", "epochs": 1}',
             "set": '{"op": "set", "config": {"learning_rate": 0.1}}',
             "edit_weight": '{"op": "edit_weight", "layer": 0, "to": 1, "from": 0, '
                            '"value": 0.5}',
             "edit_bias": '{"op": "edit_bias", "layer": 0, "unit": 1, "value": 0.1}',
             "add_point": '{"op": "add_point", "x": 1.5, "y": -2, "label": 1}',
             "remove_point": '{"op": "remove_point", "x": 1.5, "y": -2}',
             "speed": '{"op": "speed", "epochs_per_frame": "max"}'}


def parse_command(body: Any) -> Any:
    """The command model for a JSON object, or ParameterError with one line."""
    if not isinstance(body, dict):
        raise ParameterError(f"command must be a JSON object, got {shown(body)}; "
                             'e.g. {"op": "play"}')
    op = body.get("op")
    if op not in OPS:
        raise ParameterError(f"command: op must be one of {', '.join(OPS)}, got {shown(op)}"
                             f"{did_you_mean(op, OPS) if isinstance(op, str) else ''}; "
                             'e.g. {"op": "play"}')
    try:
        return _ADAPTER.validate_python(body)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "command"
        msg = first["msg"][0].lower() + first["msg"][1:]
        if first["type"] == "extra_forbidden":
            msg = "is not an argument of this op"
        got = shown(first.get("input")) if first["type"] != "missing" else "nothing"
        return _raise(f"command {op}: {where} {msg}, got {got}; e.g. "
                      f"{_EXAMPLES.get(op, body)}")


def _raise(message: str) -> Any:
    raise ParameterError(message)
