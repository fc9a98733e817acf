"""``TrainConfig``: every setting of one training run, validated once, loadable from TOML.

A run is described by plain values — the data source, the network (hidden sizes,
activation, initializer, dropout), the optimizer and its learning rate and
schedule, the regularizers (weight decay, label smoothing, early stopping,
augmentation) and the seed — so that it can be written to a file
(``config.toml`` in every run folder) and run again to the same numbers.

Values come from, in increasing priority: the defaults below, a TOML file
(``load_config(path)``), and explicit overrides (the CLI flags). Names are
checked here, at the boundary, and a mistake becomes one ``ConfigError`` line
that names the setting, what was expected and what to write instead.

Data sources (``data``):

- ``digits`` — scikit-learn's bundled 8×8 digits (no download);
- ``mnist`` / ``mnist:PATH``, ``fashion-mnist`` / ``fashion-mnist:PATH`` — the IDX files
  (folder ``PATH``, else ``$MLPLAB_DATA`` or the cache);
- ``csv:PATH`` or ``csv:PATH,target=COLUMN`` — a table with a header row; the target
  defaults to the last column;
- ``synthetic:NAME`` (``xor``, ``moons``, ``circles``, ``spirals``, ``gaussians``, …),
  optionally ``synthetic:moons,n=2000,noise=0.2``.

The ``text`` task (``mlplab.text``) reads ``tsv:PATH`` and ``jsonl:PATH`` too.
"""

from __future__ import annotations

import difflib
import json
import math
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from mlplab.runs.sources import (
    DATA_KINDS,
    SYNTHETIC_SETS,
    DataSpec,
    closest_hint,
    parse_data_spec,
)

__all__ = ["ConfigError", "DataSpec", "TrainConfig", "load_config", "make_config",
           "parse_data_spec", "DATA_KINDS", "SCHEDULES", "SYNTHETIC_SETS", "TASK_DATA_KINDS"]

TASK_DATA_KINDS: dict[str, tuple[str, ...]] = {
    "classify": ("digits", "mnist", "fashion-mnist", "csv", "synthetic"),
    "text": ("tsv", "jsonl"),
}
"""Which data sources each task reads; a new task adds its entry (and a runner in
``mlplab.runs.experiment.TASK_RUNNERS``)."""

SCHEDULES = ("constant", "inverse_time", "exponential", "step", "cosine")


class ConfigError(ValueError):
    """A configuration value (or file) that cannot be used; the message is one line."""


# --------------------------------------------------------------------------- the config
def _range_error(name: str, expected: str, value: Any, example: str) -> ValueError:
    return ValueError(f"expected {expected}, received {value!r}; e.g. {name} = {example}")


class TrainConfig(BaseModel):
    """All settings of one training run (see the module docstring and docs/cli.md).

    Omitted optional values mean "choose for me": ``init`` None is PyTorch's default
    U(−1/√n_in, 1/√n_in); ``standardize`` None standardizes tabular and synthetic data
    but keeps image pixels in [0, 1]; ``augment_shift`` None is 1/16 of the image side;
    ``name`` None names the run after the data.
    """

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

    # data
    data: str = "digits"
    task: str = "classify"
    validation_split: float = 0.1
    test_split: float = 0.2
    standardize: bool | None = None
    augment: bool = False
    augment_shift: float | None = None
    augment_rotate: float = 8.0
    # network
    hidden: list[int] = [128]
    activation: str = "relu"
    init: str | None = None
    dropout: float = 0.0
    # optimization
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.0
    schedule: str = "constant"
    decay_rate: float = 0.5
    decay_epochs: float = 10.0
    epochs: int = 100
    batch_size: int = 32
    weight_decay: float = 0.0
    label_smoothing: float = 0.0
    clip_grad_norm: float | None = None
    early_stopping: bool = True
    patience: int = 10
    # bookkeeping
    seed: int = 0
    output_dir: str = "runs"
    name: str | None = None
    options: dict[str, Any] = {}
    """Task-specific settings passed to the task's runner (e.g. the text vectorizer)."""

    # -- single fields -------------------------------------------------------------------
    @field_validator("hidden", mode="before")
    @classmethod
    def _parse_hidden(cls, value: Any) -> Any:
        if isinstance(value, str):  # "--hidden 128,64" on the command line
            parts = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
            try:
                return [int(p) for p in parts]
            except ValueError:
                raise ValueError(f"expected layer widths such as '128,64', received "
                                 f"{value!r}") from None
        if isinstance(value, tuple):
            return list(value)
        return value

    @field_validator("hidden")
    @classmethod
    def _check_hidden(cls, value: list[int]) -> list[int]:
        if any(w < 1 for w in value):
            raise _range_error("hidden", "positive layer widths", value, "[128, 64]")
        return value

    @field_validator("epochs")
    @classmethod
    def _check_epochs(cls, value: int) -> int:
        if value < 0:
            raise _range_error("epochs", "an integer >= 0", value, "100")
        return value

    @field_validator("batch_size")
    @classmethod
    def _check_batch(cls, value: int) -> int:
        if value < 1:
            raise _range_error("batch_size", "an integer >= 1 (1 is stochastic gradient "
                               "descent)", value, "32")
        return value

    @field_validator("patience")
    @classmethod
    def _check_patience(cls, value: int) -> int:
        if value < 0:
            raise _range_error("patience", "an integer >= 0 (epochs without improvement)",
                               value, "10")
        return value

    @field_validator("validation_split", "test_split")
    @classmethod
    def _check_split(cls, value: float, info: Any) -> float:
        if not (math.isfinite(value) and 0 <= value < 1):
            raise _range_error(info.field_name, "a fraction in [0, 1)", value, "0.1")
        return value

    @field_validator("dropout", "label_smoothing")
    @classmethod
    def _check_probability(cls, value: float, info: Any) -> float:
        if not (math.isfinite(value) and 0 <= value < 1):
            raise _range_error(info.field_name, "a probability in [0, 1)", value, "0.1")
        return value

    @field_validator("lr", "decay_rate", "decay_epochs", "clip_grad_norm")
    @classmethod
    def _check_positive(cls, value: float | None, info: Any) -> float | None:
        if value is not None and not (math.isfinite(value) and value > 0):
            examples = {"lr": "0.001", "decay_rate": "0.5", "decay_epochs": "10",
                        "clip_grad_norm": "1.0"}
            raise _range_error(info.field_name, "a positive number", value,
                               examples[info.field_name])
        return value

    @field_validator("momentum", "weight_decay", "augment_rotate", "augment_shift")
    @classmethod
    def _check_non_negative(cls, value: float | None, info: Any) -> float | None:
        if value is not None and not (math.isfinite(value) and value >= 0):
            raise _range_error(info.field_name, "a number >= 0", value, "0.0")
        return value

    @field_validator("activation")
    @classmethod
    def _check_activation(cls, value: str) -> str:
        from mlplab.nn import get_activation

        get_activation(value)  # raises "unknown activation 'rleu'. Did you mean 'relu'? …"
        return value

    @field_validator("init")
    @classmethod
    def _check_init(cls, value: str | None) -> str | None:
        if value is not None:
            from mlplab.nn import get_initializer

            get_initializer(value)
        return value

    @field_validator("optimizer")
    @classmethod
    def _check_optimizer(cls, value: str) -> str:
        from mlplab.optim import OPTIMIZERS
        from mlplab.optim.validation import suggest

        if value.lower() not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {value!r}{suggest(value.lower(), OPTIMIZERS)}")
        return value.lower()

    @field_validator("schedule")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        key = value.lower().replace("-", "_")
        if key not in SCHEDULES:
            raise ValueError(f"unknown schedule {value!r}.{closest_hint(key, SCHEDULES)} Valid: "
                             f"{', '.join(SCHEDULES)}")
        return key

    @field_validator("task")
    @classmethod
    def _check_task(cls, value: str) -> str:
        if value not in TASK_DATA_KINDS:
            raise ValueError(f"unknown task {value!r}.{closest_hint(value, list(TASK_DATA_KINDS))} "
                             f"Valid: {', '.join(TASK_DATA_KINDS)}")
        return value

    @field_validator("data")
    @classmethod
    def _check_data(cls, value: str) -> str:
        parse_data_spec(value)
        return value.strip()

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or "/" in value or "\\" in value
                                  or value in (".", "..")):
            raise ValueError(f"expected a plain folder name such as 'digits-run1', received "
                             f"{value!r}; use output_dir for the parent folder")
        return value

    # -- combinations ---------------------------------------------------------------------
    @model_validator(mode="after")
    def _check_combinations(self) -> TrainConfig:
        spec = self.data_spec
        kinds = TASK_DATA_KINDS[self.task]
        if spec.kind not in kinds:
            raise ValueError(f"data: the {self.task!r} task reads {', '.join(kinds)}, not "
                             f"{spec.kind!r}; pick a matching data source or task")
        if self.task == "classify" and self.options:
            raise ValueError(f"options: the classify task takes no options, received "
                             f"{', '.join(self.options)}; remove them (they are for task = "
                             "\"text\")")
        if self.validation_split + self.test_split >= 1:
            raise ValueError(f"validation_split + test_split: {self.validation_split} + "
                             f"{self.test_split} leaves no training data; keep the sum below 1 "
                             "(e.g. 0.1 and 0.2)")
        if self.augment:
            if spec.image_shape is None:
                raise ValueError("augment: only images (digits, mnist, fashion-mnist) can be "
                                 "augmented; set augment = false for this data")
            if self.standardize:
                raise ValueError("augment: the augmenter works on raw [0, 1] pixels and clips "
                                 "to that range; set standardize = false (or leave it out)")
        if self.momentum and self.optimizer not in ("sgd", "rmsprop"):
            raise ValueError(f"momentum: only sgd and rmsprop take momentum, the optimizer is "
                             f"{self.optimizer!r}; remove momentum or use optimizer = \"sgd\"")
        return self

    # -- derived values ----------------------------------------------------------------------
    @property
    def data_spec(self) -> DataSpec:
        return parse_data_spec(self.data)

    @property
    def run_name(self) -> str:
        return self.name or self.data_spec.default_name

    @property
    def run_dir(self) -> Path:
        return Path(self.output_dir) / self.run_name

    def to_dict(self) -> dict[str, Any]:
        """JSON-able values (what model files keep); ``None`` means "the default"."""
        return json.loads(self.model_dump_json())

    def to_toml(self) -> str:
        """The settings as a TOML document that ``load_config`` reads back to the same config."""
        lines = ["# mlplab training configuration (mlplab train --config this-file.toml)"]
        values = self.to_dict()
        options = values.pop("options")
        for key, value in values.items():
            if value is not None:  # TOML has no null: an omitted key means the default
                lines.append(f"{key} = {_toml_value(value)}")
        if options:
            lines += ["", "[options]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in options.items() if v is not None]
        return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in
                               value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


# --------------------------------------------------------------------------- building configs
_ALIASES = {"learning_rate": "lr", "hidden_sizes": "hidden", "layers": "hidden",
            "val_split": "validation_split", "dev_split": "validation_split",
            "output": "output_dir", "out": "output_dir", "batch": "batch_size"}
"""Common other spellings, for the "did you mean" of an unknown setting."""


def _one_line(err: ValidationError) -> str:
    """The first problem of a pydantic ValidationError as one line naming the setting."""
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "config"
    kind = first["type"]
    if kind == "extra_forbidden":
        known = list(TrainConfig.model_fields)
        match = difflib.get_close_matches(loc, [*known, *_ALIASES], n=1, cutoff=0.5)
        hint = f" Did you mean {_ALIASES.get(match[0], match[0])!r}?" if match else ""
        return f"unknown setting {loc!r}.{hint} Valid settings: {', '.join(known)}"
    message = first["msg"].removeprefix("Value error, ")
    if kind != "value_error":  # a type problem: say what was received
        message = f"{message} (received {first.get('input')!r})"
    if message.startswith(f"{loc}:") or loc == "config":
        return message
    return f"{loc}: {message}"


def make_config(values: dict[str, Any] | None = None, **overrides: Any) -> TrainConfig:
    """Build a ``TrainConfig`` from a dict plus keyword overrides; errors are ``ConfigError``.

    Overrides whose value is None are ignored (a CLI flag that was not given).
    """
    merged = dict(values or {})
    merged.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return TrainConfig(**merged)
    except ValidationError as err:
        raise ConfigError(_one_line(err)) from None


def load_config(path: str | Path | None = None, **overrides: Any) -> TrainConfig:
    """Read a TOML file (top-level keys, optional ``[options]`` table), apply ``overrides``.

    >>> load_config(None, epochs=5).epochs
    5
    """
    values: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"config: file not found: {path}; pass the path of a .toml "
                                    "file (see examples/config_digits.toml)")
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"config {path}: not valid TOML ({err})") from None
        except UnicodeDecodeError:
            raise ConfigError(f"config {path}: not a UTF-8 text file; pass a .toml "
                              "file") from None
    try:
        return make_config(values, **overrides)
    except ConfigError as err:
        where = f"config {path}: " if path is not None else ""
        raise ConfigError(f"{where}{err}") from None
