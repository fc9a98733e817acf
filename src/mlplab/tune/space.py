"""The search space: which ``TrainConfig`` settings a search varies, and on which scale.

A space file is TOML, one line per setting, each naming one distribution::

    lr = {log_uniform = [1e-4, 1]}                   # α: every decade equally likely
    momentum = {one_minus_log_uniform = [0.9, 0.999]}  # β: 1 − β on a log scale
    hidden = {choice = ["64", "128,64"]}
    batch_size = {choice = [32, 64, 128, 256]}
    dropout = {uniform = [0, 0.5]}

The scale matters. Sampling α uniformly in [10⁻⁴, 1] puts 90 % of the samples in
[0.1, 1]; sampling log₁₀ α uniformly in [−4, 0] gives each decade the same share. For a
decay factor β near 1 the average spans about 1/(1 − β) steps, so β = 0.9 → 0.9005
changes little while 0.999 → 0.9995 doubles the window: 1 − β is sampled on a log
scale, r ~ U(log₁₀(1 − β_high), log₁₀(1 − β_low)), β = 1 − 10^r.

Distributions: ``uniform``, ``log_uniform``, ``int_uniform``, ``int_log_uniform``,
``one_minus_log_uniform`` and ``choice``. Every mistake is one ``SpaceError`` line.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlplab.checks import ParameterError, shown, unknown

__all__ = ["DISTRIBUTIONS", "Dimension", "Space", "SpaceError", "load_space", "parse_space"]

DISTRIBUTIONS = ("uniform", "log_uniform", "int_uniform", "int_log_uniform",
                 "one_minus_log_uniform", "choice")
LOG_KINDS = ("log_uniform", "int_log_uniform", "one_minus_log_uniform")
NOT_SEARCHABLE = ("options", "output_dir", "name")  # where a run goes, not how it learns


class SpaceError(ParameterError):
    """A search space that cannot be used, in one line."""


@dataclass(frozen=True)
class Dimension:
    """One searched setting: ``kind`` is a distribution, ``low``/``high`` its range (in the
    setting's own units, e.g. β for ``one_minus_log_uniform``), ``choices`` for ``choice``."""

    name: str
    kind: str
    low: float = 0.0
    high: float = 0.0
    choices: tuple[Any, ...] = ()

    @property
    def param(self) -> str:
        """The name Optuna stores: ``one_minus_momentum`` holds 1 − β for the β trick."""
        return f"one_minus_{self.name}" if self.kind == "one_minus_log_uniform" else self.name

    @property
    def is_log(self) -> bool:
        return self.kind in LOG_KINDS

    @property
    def is_int(self) -> bool:
        return self.kind.startswith("int_")

    def suggest(self, trial: Any) -> Any:
        """Draw this setting's value for an Optuna trial (stored as :attr:`param`)."""
        if self.kind == "choice":
            return trial.suggest_categorical(self.param, list(self.choices))
        if self.is_int:
            return trial.suggest_int(self.param, int(self.low), int(self.high), log=self.is_log)
        low, high = self.stored_range()
        return self.value(trial.suggest_float(self.param, low, high, log=self.is_log))

    def stored_range(self) -> tuple[float, float]:
        """The range of the stored parameter (1 − β flips the ends of β's range)."""
        if self.kind == "one_minus_log_uniform":
            return 1.0 - self.high, 1.0 - self.low
        return self.low, self.high

    def value(self, stored: Any) -> Any:
        """The setting's value from the stored parameter (β = 1 − stored for the β trick)."""
        return 1.0 - stored if self.kind == "one_minus_log_uniform" else stored

    def grid(self, points: int) -> list[Any]:
        """``points`` stored values evenly spaced on this dimension's scale (all choices)."""
        if self.kind == "choice":
            return list(self.choices)
        low, high = self.stored_range()
        if self.is_log:
            low, high = math.log(low), math.log(high)
        steps = [low + (high - low) * i / max(points - 1, 1) for i in range(points)]
        values = [math.exp(s) if self.is_log else s for s in steps]
        if self.is_int:
            return sorted({int(round(v)) for v in values})
        return values

    def to_dict(self) -> dict[str, Any]:
        """The space-file entry: ``{"log_uniform": [1e-4, 1]}``."""
        if self.kind == "choice":
            return {"choice": list(self.choices)}
        return {self.kind: [int(self.low), int(self.high)] if self.is_int
                else [self.low, self.high]}


@dataclass(frozen=True)
class Space:
    """The searched settings, in file order."""

    dimensions: tuple[Dimension, ...]

    def __iter__(self):
        return iter(self.dimensions)

    def __len__(self) -> int:
        return len(self.dimensions)

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.dimensions]

    def suggest(self, trial: Any) -> dict[str, Any]:
        """Setting name → value drawn for ``trial``."""
        return {d.name: d.suggest(trial) for d in self.dimensions}

    def values(self, params: dict[str, Any]) -> dict[str, Any]:
        """Setting name → value, from a trial's stored parameters (what reproduces it)."""
        return {d.name: d.value(params[d.param]) for d in self.dimensions if d.param in params}

    def to_dict(self) -> dict[str, Any]:
        return {d.name: d.to_dict() for d in self.dimensions}


def _number(owner: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SpaceError(f"{owner}: bounds must be finite numbers, got {shown(value)}; "
                         "e.g. [1e-4, 1]")
    return float(value)


def _dimension(name: str, entry: Any) -> Dimension:
    owner = f"space: {name}"
    example = "e.g. lr = {log_uniform = [1e-4, 1]}"
    if not isinstance(entry, dict) or len(entry) != 1:
        raise SpaceError(f"{owner} must name one distribution, got {shown(entry)}; {example}")
    (kind, args), = entry.items()
    if kind not in DISTRIBUTIONS:
        raise unknown(owner, "distribution", kind, DISTRIBUTIONS)
    if kind == "choice":
        return _choice(owner, name, args)
    if not isinstance(args, list) or len(args) != 2:
        raise SpaceError(f"{owner}: {kind} takes [low, high], got {shown(args)}; {example}")
    low, high = (_number(owner, v) for v in args)
    if kind.startswith("int_") and not all(isinstance(v, int) for v in args):
        raise SpaceError(f"{owner}: {kind} takes whole-number bounds, got {shown(args)}; "
                         "e.g. [16, 256]")
    if not low < high:
        raise SpaceError(f"{owner}: the range [{args[0]}, {args[1]}] is empty; give "
                         "low < high, e.g. [1e-4, 1]")
    if kind in ("log_uniform", "int_log_uniform") and low <= 0:
        raise SpaceError(f"{owner}: a log scale needs low > 0, got {args[0]}; e.g. "
                         "[1e-4, 1]")
    if kind == "one_minus_log_uniform" and not (0 <= low and high < 1):
        raise SpaceError(f"{owner}: one_minus_log_uniform samples 1 − β on a log scale, so "
                         f"β must lie in [0, 1), got {shown(args)}; e.g. [0.9, 0.999]")
    return Dimension(name, kind, low, high)


def _choice(owner: str, name: str, args: Any) -> Dimension:
    if not isinstance(args, list) or not args:
        raise SpaceError(f"{owner}: choice takes a non-empty list, got {shown(args)}; e.g. "
                         "batch_size = {choice = [32, 64, 128]}")
    for value in args:
        if not isinstance(value, str | int | float | bool):
            raise SpaceError(f"{owner}: each choice must be a number, text or true/false, "
                             f"got {shown(value)}; write a list of layers as text, e.g. "
                             '"128,64"')
    if len(set(map(repr, args))) != len(args):
        raise SpaceError(f"{owner}: choice lists a value twice ({shown(args)}); list each "
                         "once")
    return Dimension(name, "choice", choices=tuple(args))


def parse_space(entries: dict[str, Any], base: Any = None) -> Space:
    """A validated :class:`Space` from a dict of ``setting = {distribution = …}`` entries.

    Every name must be a ``TrainConfig`` setting (else: the closest valid name). With
    ``base`` (a ``TrainConfig``), the ends of each range and every choice are also
    checked as values of that config, so ``dropout = {uniform = [0, 1.5]}`` fails here
    rather than in trial 7.
    """
    from mlplab.runs.config import ALIASES, TrainConfig

    if not isinstance(entries, dict) or not entries:
        raise SpaceError("space: no settings to search; add lines such as "
                         "lr = {log_uniform = [1e-4, 1]}")
    valid = [n for n in TrainConfig.model_fields if n not in NOT_SEARCHABLE]
    dims = []
    for name, entry in entries.items():
        if name in ALIASES:  # another spelling of a setting: learning_rate → lr
            raise SpaceError(f"space: unknown setting {name!r}; did you mean "
                             f"{ALIASES[name]!r}? (the run config's name for it)")
        if name not in valid:
            raise unknown("space", "setting", name, valid, max_listed=8)
        dims.append(_dimension(name, entry))
    space = Space(tuple(dims))
    if base is not None:
        _check_values(space, base)
    return space


def _check_values(space: Space, base: Any) -> None:
    """Each end and choice must make a valid config (other settings at their first value)."""
    from mlplab.runs.config import ConfigError, make_config

    first = {d.name: d.choices[0] if d.kind == "choice" else d.low for d in space}
    for dim in space:
        tried = dim.choices if dim.kind == "choice" else (dim.low, dim.high)
        for value in tried:
            value = int(value) if dim.is_int else value
            try:
                make_config({**base.to_dict(), **first, dim.name: value})
            except ConfigError as err:
                raise SpaceError(f"space: {dim.name} = {shown(value)} is not a valid setting "
                                 f"({str(err).removeprefix('config: ')})") from None


def load_space(path: str | Path, base: Any = None) -> Space:
    """Read and validate a space file (TOML); see :func:`parse_space`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"space: file not found: {path}; pass a .toml file such as "
                                "examples/space.toml")
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as err:
        raise SpaceError(f"space {path}: not valid TOML ({err})") from None
    try:
        return parse_space(entries, base)
    except SpaceError as err:
        raise SpaceError(f"space {path}: {str(err).removeprefix('space: ')}") from None
