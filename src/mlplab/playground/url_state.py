"""The config as a URL hash (``#activation=tanh&networkShape=4,2&…``) and as CLI flags.

The hash uses TensorFlow Playground's keys and value spellings where it has them, so a
Playground link mostly opens here: ``initZero=true`` means ``init=zeros``,
``<control>_hide=true`` and ``hideText=true`` fill ``hide``, ``regDataset=reg-plane``
is ``plane``, and a non-numeric ``seed`` (TF's seeds are strings) is hashed to an int.
Keys neither side knows are skipped with a note. Flags are ``--kebab-name value``
(``--network-shape 8,8``, ``--x-squared true``), one per field.
"""

from __future__ import annotations

import typing
import zlib
from typing import Any
from urllib.parse import parse_qsl, quote

from mlplab.checks import ParameterError, did_you_mean
from mlplab.playground.config import PlaygroundConfig, field_names, make_config

_FIELDS = PlaygroundConfig.model_fields
URL_KEYS = {(f.json_schema_extra or {})["url_key"]: name for name, f in _FIELDS.items()}
"""URL key → field name."""
_TF_ALIASES = {"reg-plane": "plane", "reg-gauss": "multigauss", "L1": "l1", "L2": "l2"}
_TF_IGNORED = ("cosX", "cosY", "collectStats", "tutorial")


def url_key(name: str) -> str:
    return (_FIELDS[name].json_schema_extra or {})["url_key"]


def _kind(name: str) -> Any:
    annotation = _FIELDS[name].annotation
    return typing.get_origin(annotation) or annotation


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(format_value(v) for v in value)
    return str(value)


def parse_value(name: str, text: str) -> Any:
    """The Python value of field ``name`` written as ``text`` (pydantic checks it later)."""
    kind = _kind(name)
    text = _TF_ALIASES.get(text, text)
    if kind is list:
        item = typing.get_args(_FIELDS[name].annotation)[0]
        if typing.get_origin(item) is typing.Annotated:  # list[Annotated[float, bounds]]
            item = typing.get_args(item)[0]
        parts = [p.strip() for p in text.split(",") if p.strip()]
        return [_scalar(name, p, item) for p in parts]
    return _scalar(name, text, kind)


def _scalar(name: str, text: str, kind: Any) -> Any:
    if kind is bool:
        low = text.lower()
        if low in ("true", "1", "yes", "on"):
            return True
        if low in ("false", "0", "no", "off"):
            return False
        raise ParameterError(f"PlaygroundConfig: {name} must be true or false, got {text!r}; "
                             f"e.g. {name}=true")
    if kind is int:
        return _number(name, text, int)
    if kind is float:
        return _number(name, text, float)
    return text


def _number(name: str, text: str, kind: type) -> Any:
    try:
        return kind(text)
    except ValueError:
        example = _FIELDS[name].default
        what = "an integer" if kind is int else "a number"
        raise ParameterError(f"PlaygroundConfig: {name} must be {what}, got {text!r}; "
                             f"e.g. {name}={example}") from None


def to_url_hash(config: PlaygroundConfig, *, all_fields: bool = False) -> str:
    """``key=value&…`` (no leading ``#``); only the settings that differ from the defaults
    unless ``all_fields``."""
    default = PlaygroundConfig()
    parts = []
    for name in field_names():
        value = getattr(config, name)
        if not all_fields and value == getattr(default, name):
            continue
        if name == "hide":
            parts += [f"{quote(h)}_hide=true" for h in value]
            continue
        parts.append(f"{url_key(name)}={quote(format_value(value), safe=',')}")
    return "&".join(parts)


def from_url_hash(text: str, base: PlaygroundConfig | None = None
                  ) -> tuple[PlaygroundConfig, list[str]]:
    """(config, notes) from a URL hash; unknown keys are skipped with a note each."""
    values: dict[str, Any] = {}
    hide: list[str] = []
    notes: list[str] = []
    for key, raw in parse_qsl(text.lstrip("#"), keep_blank_values=True):
        if key.endswith("_hide"):
            if raw.lower() == "true":
                hide.append(key[: -len("_hide")])
        elif key == "hideText":
            if raw.lower() == "true":
                hide.append("text")
        elif key == "initZero":
            if raw.lower() == "true":
                values["init"] = "zeros"
        elif key == "seed" and not raw.isdigit():
            values["seed"] = zlib.crc32(raw.encode()) % (2**31 - 1)
        elif key in URL_KEYS:
            name = URL_KEYS[key]
            values[name] = parse_value(name, raw)
            if name == "noise" and not 0 <= values[name] <= 80:  # TF: > 80 → 50, < 0 → 0
                values[name] = 50 if values[name] > 80 else 0
                notes.append(f"noise={raw} is outside 0–80; using {values[name]}")
        else:
            notes.append(f"ignored the URL key {key!r}"
                         + ("" if key in _TF_IGNORED else did_you_mean(key, URL_KEYS)))
    if hide:
        values["hide"] = hide
    return make_config(values, base), notes


def flag_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def to_flags(config: PlaygroundConfig) -> str:
    """The settings that differ from the defaults as ``mlplab playground`` flags."""
    default = PlaygroundConfig()
    parts = []
    for name in field_names():
        value = getattr(config, name)
        if value != getattr(default, name):
            text = format_value(value)
            parts.append(f"{flag_name(name)} {text if text else repr('')}")
    return " ".join(parts)


def from_flags(args: list[str], base: PlaygroundConfig | None = None) -> PlaygroundConfig:
    """Parse ``["--dataset", "spiral", "--network-shape=8,8", …]`` onto ``base``."""
    values: dict[str, Any] = {}
    flags = {flag_name(n): n for n in field_names()}
    i = 0
    while i < len(args):
        arg = args[i]
        flag, _, inline = arg.partition("=")
        if flag not in flags:
            raise ParameterError(f"mlplab playground: unknown option {flag!r}"
                                 f"{did_you_mean(flag, flags)}; the settings are "
                                 "listed by --list-settings")
        if inline or "=" in arg:
            text, i = inline, i + 1
        elif i + 1 < len(args):
            text, i = args[i + 1], i + 2
        else:
            raise ParameterError(f"mlplab playground: {flag} needs a value; e.g. "
                                 f"{flag} {format_value(_FIELDS[flags[flag]].default)}")
        values[flags[flag]] = parse_value(flags[flag], text)
    return make_config(values, base)
