"""``TrainConfig``: every setting of one training run, validated once, loadable from TOML.

A run is described by plain values — the data source and task, the network (hidden
widths, activations, initializers, normalization, dropout, input noise), the loss,
the optimizer with its settings and schedule, the regularizers (weight decay, L1,
max-norm, gradient clipping, label smoothing, early stopping, augmentation) and the
seed — so that it can be written to a file (``config.toml`` in every run folder) and
run again to the same numbers. The command line (``mlplab train``), the lab and
hyper-parameter searches all build their models from this one config.

Values come from, in increasing priority: the defaults below, a TOML file
(``load_config(path)``), and explicit overrides (the CLI flags). Each setting's range
is declared on its type (:mod:`mlplab.runs.fields`); names are looked up in the
library's registries; checks across settings sit in the validators at the end. A
mistake becomes one ``ConfigError`` line in the ``mlplab.checks`` style.

Data sources (``data``): ``digits``; ``mnist[:PATH]``, ``fashion-mnist[:PATH]``;
``csv:PATH[,target=COLUMN]`` (the target defaults to the last column);
``synthetic:NAME[,n=N,noise=S]``; ``tsv:PATH`` and ``jsonl:PATH`` for the text task;
``parquet:PATH[,target=COLUMN]`` and ``npy:PATH`` (a folder with X.npy and y.npy, or one
2-D file whose last column is the target), read chunk by chunk (``stream``), as
``csv:PATH`` is with ``stream = true``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from mlplab.runs import rules
from mlplab.runs.config_errors import ConfigError, one_line
from mlplab.runs.fields import (
    ActivationName,
    Fraction,
    InitName,
    NonNegative,
    NonNegativeInt,
    OptimizerName,
    Positive,
    PositiveInt,
    from_text,
    normalize_name,
)
from mlplab.runs.optimizers import SCHEDULES
from mlplab.runs.sources import DATA_KINDS, SYNTHETIC_SETS, DataSpec, parse_data_spec
from mlplab.runs.toml_text import toml_document

__all__ = ["ConfigError", "DATA_KINDS", "DataSpec", "SCHEDULES", "SECTIONS", "SYNTHETIC_SETS",
           "TrainConfig", "load_config", "make_config", "parse_data_spec"]

SECTIONS = ("data", "network", "loss", "optimizer", "regularization", "run")
"""The groups settings are listed in (``mlplab train --help``, docs/cli.md)."""


def _setting(default: Any, section: str, help: str, **constraints: Any) -> Any:
    """A field with its section and its one-line help (the default is not restated)."""
    return Field(default, description=help, json_schema_extra={"section": section},
                 **constraints)


def _data(value: str) -> str:
    try:
        parse_data_spec(value)
    except ValueError as err:
        raise ValueError(f"config: {err}") from None
    return value.strip()


def _task(value: str) -> str:
    from mlplab.runs.tasks import get_task

    try:
        return get_task(value).name
    except ImportError as err:  # the task's module needs a package that is missing
        raise ValueError(f"config: the {value!r} task could not be loaded ({err})") from None


def _name(value: str | None) -> str | None:
    if value is not None and (not value.strip() or "/" in value or "\\" in value
                              or value in (".", "..")):
        raise ValueError(f"config: name must be a plain folder name such as 'digits-run1', "
                         f"got {value!r}; use output_dir for the parent folder")
    return value


PerLayerActivation = Annotated[ActivationName | list[ActivationName], from_text(str)]
PerLayerInit = Annotated[InitName | list[InitName] | None, from_text(str)]
PerLayerFraction = Annotated[Fraction | list[Fraction], from_text(float)]


class TrainConfig(BaseModel):
    """All settings of one training run (see the module docstring and docs/cli.md).

    Omitted optional values mean "choose for me": ``init`` None is PyTorch's default
    U(−1/√n_in, 1/√n_in); ``standardize`` None standardizes tables and synthetic data
    but keeps image pixels in [0, 1]; ``augment_shift`` None is 1/16 of the image side;
    ``loss`` None is the task's first loss; ``eps``/``rho`` None are the optimizer's
    own; ``name`` None names the run after the data.
    """

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

    # data
    data: Annotated[str, AfterValidator(_data)] = _setting(
        "digits", "data", "digits | mnist[:PATH] | fashion-mnist[:PATH] | csv:PATH[,target=COL]"
        " | synthetic:NAME[,n=N,noise=S] | parquet:PATH[,target=COL] | npy:PATH; text: "
        "tsv:PATH | jsonl:PATH")
    task: Annotated[str, AfterValidator(_task)] = _setting(
        "classify", "data", "classify, regression (a numeric target) or text.")
    validation_split: Fraction = _setting(0.1, "data", "Fraction of the training data held "
                                          "out as the dev set.")
    test_split: Fraction = _setting(0.2, "data", "Test fraction, for data without its own "
                                    "test set.")
    standardize: bool | None = _setting(None, "data", "x := (x − μ)/σ with training statistics "
                                        "(default: tables yes, images no).")
    stream: bool | None = _setting(None, "data", "Read the training file chunk by chunk "
                                   "through a shuffle buffer, never whole (npy, parquet, csv; "
                                   "default: npy and parquet yes, csv no).")
    augment: bool = _setting(False, "data", "Random shifts and rotations of images.")
    augment_shift: NonNegative | None = _setting(None, "data", "Largest shift in pixels "
                                                 "(default: 1/16 of the image side).")
    augment_rotate: NonNegative = _setting(8.0, "data", "Largest rotation in degrees.")
    # network
    hidden: Annotated[list[PositiveInt], from_text(int)] = _setting(
        [128], "network", "Hidden widths, e.g. 256,128; empty for no hidden layer.",
        examples=["[128, 64]"])
    activation: PerLayerActivation = _setting(
        "relu", "network", "relu, tanh, sigmoid, leaky_relu, elu, prelu, rrelu, maxout, …; "
        "or one per hidden layer, e.g. relu,tanh.")
    maxout_pieces: Annotated[int, Field(ge=2)] = _setting(2, "network", "Affine pieces per "
                                                          "maxout unit.")
    init: PerLayerInit = _setting(
        None, "network", "he_normal, xavier_uniform, lecun_normal, orthogonal, …; or one per "
        "linear layer (default: PyTorch's U(±1/√n_in)).", examples=['"he_normal"'])
    norm: Annotated[Literal["none", "batch", "layer"], BeforeValidator(normalize_name)] = \
        _setting("none", "network", "Normalize each hidden layer's z: batch or layer.")
    dropout: PerLayerFraction = _setting(0.0, "network", "Drop probability after each hidden "
                                         "layer, or one per hidden layer.", examples=["0.2"])
    # loss
    loss: Literal["cross_entropy", "mse", "mae", "huber"] | None = _setting(
        None, "loss", "cross_entropy (classify, text); mse, mae or huber (regression).",
        examples=['"mse"'])
    label_smoothing: Fraction = _setting(0.0, "loss", "ε of the cross-entropy's smoothed "
                                         "targets.", examples=["0.1"])
    # optimizer
    optimizer: OptimizerName = _setting("adam", "optimizer", "sgd, adagrad, rmsprop, adadelta, "
                                        "adam or adamw.")
    lr: Positive = _setting(1e-3, "optimizer", "Learning rate α.")
    momentum: Fraction = _setting(0.0, "optimizer", "Momentum β (sgd, rmsprop).",
                                  examples=["0.9"])
    nesterov: bool = _setting(False, "optimizer", "Nesterov momentum (sgd).")
    beta1: Fraction = _setting(0.9, "optimizer", "β₁, decay of the gradient average (adam).")
    beta2: Fraction = _setting(0.999, "optimizer", "β₂, decay of the squared-gradient average "
                               "(adam).")
    eps: Positive | None = _setting(None, "optimizer", "ε added to √S (adam, rmsprop, adagrad, "
                                    "adadelta; default: the optimizer's).", examples=["1e-8"])
    rho: Fraction | None = _setting(None, "optimizer", "Decay of the squared-gradient average "
                                    "(rmsprop, adadelta; default: the optimizer's).",
                                    examples=["0.9"])
    amsgrad: bool = _setting(False, "optimizer", "AMSGrad's running maximum of Ŝ (adam).")
    centered: bool = _setting(False, "optimizer", "Centered RMSprop.")
    schedule: Annotated[Literal[SCHEDULES],  # type: ignore[valid-type]
                        BeforeValidator(normalize_name)] = _setting(
        "constant", "optimizer", "constant, inverse_time, exponential, step, cosine or "
        "plateau.")
    decay_rate: Positive = _setting(0.5, "optimizer", "The schedule's rate (plateau: the "
                                    "factor).")
    decay_epochs: Positive = _setting(10.0, "optimizer", "The schedule's T in epochs "
                                      "(plateau: its patience).")
    epochs: NonNegativeInt = _setting(100, "optimizer", "Maximum number of epochs.")
    batch_size: PositiveInt = _setting(32, "optimizer", "Mini-batch size (1: stochastic "
                                       "gradient descent).")
    # regularization
    weight_decay: NonNegative = _setting(0.0, "regularization", "L2 weight decay λ "
                                         "(decoupled for adamw).", examples=["1e-4"])
    l1: NonNegative = _setting(0.0, "regularization", "λ₁ of the L1 penalty λ₁·Σ|W| on the "
                               "weights.", examples=["1e-5"])
    max_norm: Positive | None = _setting(None, "regularization", "Max-norm c: keep each unit's "
                                         "incoming weights at ‖w‖₂ ≤ c.", examples=["3.0"])
    clip_grad_norm: Positive | None = _setting(None, "regularization", "Rescale the gradients "
                                               "to at most this global L2 norm.",
                                               examples=["1.0"])
    gaussian_noise: NonNegative = _setting(0.0, "regularization", "σ of Gaussian noise added "
                                           "to the inputs while training.", examples=["0.1"])
    early_stopping: bool = _setting(True, "regularization", "Stop when the dev loss stops "
                                    "improving; keep the best weights.")
    patience: NonNegativeInt = _setting(10, "regularization", "Epochs without improvement "
                                        "before early stopping.")
    # run
    seed: NonNegativeInt = _setting(0, "run", "One seed for split, weights, dropout, "
                                    "augmentation and shuffling.")
    output_dir: str = _setting("runs", "run", "Parent folder of the run.")
    name: Annotated[str | None, AfterValidator(_name)] = _setting(
        None, "run", "Run folder name (default: after the data).", examples=['"digits-run1"'])
    options: dict[str, Any] = _setting({}, "run", "Task-specific settings (the text task's "
                                       "model, features, dev and test files).")

    _check_together = model_validator(mode="after")(rules.check_together)

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
        return toml_document(self.to_dict(), "options", "# mlplab training configuration "
                             "(mlplab train --config this-file.toml)")


# --------------------------------------------------------------------------- building configs
ALIASES = {"learning_rate": "lr", "hidden_sizes": "hidden", "layers": "hidden",
           "val_split": "validation_split", "dev_split": "validation_split",
           "output": "output_dir", "out": "output_dir", "batch": "batch_size",
           "l2": "weight_decay", "noise": "gaussian_noise", "normalization": "norm"}
"""Common other spellings, for the "did you mean" of an unknown setting."""


def make_config(values: dict[str, Any] | None = None, **overrides: Any) -> TrainConfig:
    """Build a ``TrainConfig`` from a dict plus keyword overrides; errors are ``ConfigError``.

    Overrides whose value is None are ignored (a CLI flag that was not given).
    """
    merged = dict(values or {})
    merged.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return TrainConfig(**merged)
    except ValidationError as err:
        raise ConfigError(one_line(err, TrainConfig, ALIASES)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    if path.is_dir():
        raise IsADirectoryError(f"config: {path} is a folder; pass the path of a .toml file "
                                "(a run folder's is RUN_DIR/config.toml)")
    if not path.is_file():
        raise FileNotFoundError(f"config: file not found: {path}; pass the path of a .toml "
                                "file (see examples/config_digits.toml)")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config {path}: not valid TOML ({err})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config {path}: not a UTF-8 text file; pass a .toml file") from None


def load_config(path: str | Path | None = None, **overrides: Any) -> TrainConfig:
    """Read a TOML file (top-level keys, optional ``[options]`` table), apply ``overrides``.

    >>> load_config(None, epochs=5).epochs
    5
    """
    values = _read_toml(Path(path)) if path is not None else {}
    try:
        return make_config(values, **overrides)
    except ConfigError as err:
        if path is None:
            raise
        raise ConfigError(f"config {path}: {str(err).removeprefix('config: ')}") from None
