"""``PlaygroundConfig``: every control of the playground, in one pydantic model.

Each field carries the metadata the page builds its control from (``/api/schema``):
its URL-hash key (TensorFlow Playground's where it has one, so its links mostly open
here), its label, its choices or range, and whether changing it rebuilds the network
("resets": fresh weights from the same init seed, epoch back to 0). The same model
round-trips to the URL hash and to ``mlplab playground`` flags (:mod:`.url_state`),
to JSON (``model_dump``) and to Python (:mod:`.python_snippet`).

Dropout p, Gaussian-noise σ, BatchNorm and LayerNorm are set per hidden layer: a list
with one entry per layer (``dropout=[0.0, 0.3]``); a single value is spread over every
layer, and a list that is off everywhere is stored as [] (so it fits any depth).

mlplab's defaults differ from TF Playground's on purpose: a sigmoid output with
binary cross-entropy (softmax + cross-entropy for K > 2 classes), Xavier weights with
zero biases, and a reshuffle every epoch. :func:`tf_compat` gives TF's choices: a tanh
output on ±1 labels with ½MSE, U(−0.5, 0.5) weights with bias 0.1, a fixed order,
and L1 that clamps a weight at 0 when a step would carry it across.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mlplab.checks import ParameterError, closest, did_you_mean, shown

CLASSIFICATION_SETS = ("circle", "xor", "gauss", "spiral", "moons", "checkerboard", "blobs",
                       "spirals", "sin", "cubic", "abs", "and", "or", "xor_gate")
REGRESSION_SETS = ("plane", "multigauss")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "leaky_relu", "prelu", "rrelu", "elu",
               "maxout")
LOSSES = ("auto", "half_mse", "bce", "ce", "mse", "mae", "huber", "hinge")
INITS = ("xavier", "tf", "zeros", "normal", "he", "lecun")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")
SCHEDULES = ("constant", "inverse_time", "exponential", "step", "cosine", "cyclic")
FEATURES = ("x", "y", "x_squared", "y_squared", "x_times_y", "sin_x", "sin_y")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
REG_RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)


PER_LAYER_OFF = {"dropout": 0.0, "batch_norm": False, "layer_norm": False,
                 "gaussian_noise": 0.0}
"""Settings held per hidden layer, and the value that adds no layer."""
PER_LAYER = tuple(PER_LAYER_OFF)
_PER_LAYER_ON = {"dropout": 0.2, "batch_norm": True, "layer_norm": True, "gaussian_noise": 0.1}


def per_layer_example(name: str, layers: int) -> list[Any]:
    """A value of per-layer setting ``name`` for an error message: on in the first layer."""
    return [_PER_LAYER_ON[name]] + [PER_LAYER_OFF[name]] * (layers - 1)


def _f(default: Any, url: str, label: str, *, resets: bool = True, choices: Any = None,
       lo: float | None = None, hi: float | None = None, **kw: Any) -> Any:
    """A field with the page's metadata (URL key, label, resets, suggested choices)."""
    extra = {"url_key": url, "label": label, "resets": resets}
    if choices is not None:
        extra["choices"] = list(choices)
    bounds = {"ge": lo} if lo is not None else {}
    if hi is not None:
        bounds["le"] = hi
    return Field(default, json_schema_extra=extra, **bounds, **kw)


class PlaygroundConfig(BaseModel):
    """Every setting of one playground run (data, network, training, view)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # data
    problem: Literal["classification", "regression"] = _f(
        "classification", "problem", "Problem type", choices=("classification", "regression"))
    dataset: Literal[CLASSIFICATION_SETS] = _f(  # type: ignore[valid-type]
        "circle", "dataset", "Dataset", choices=CLASSIFICATION_SETS)
    reg_dataset: Literal[REGRESSION_SETS] = _f(  # type: ignore[valid-type]
        "plane", "regDataset", "Regression dataset", choices=REGRESSION_SETS)
    classes: int = _f(3, "classes", "Classes (blobs, spirals)", lo=2, hi=5)
    noise: int = _f(0, "noise", "Noise (%)", lo=0, hi=80)
    perc_train_data: int = _f(50, "percTrainData", "Ratio of training to test data (%)",
                              lo=10, hi=90)
    num_samples: int = _f(0, "numSamples", "Points (0: 500, or 1200 for regression)",
                          lo=0, hi=20000)
    seed: int = _f(0, "seed", "Data seed", resets=False, lo=0, hi=2**31 - 1)
    standardize: bool = _f(False, "standardize", "Standardize the input features")
    # features
    x: bool = _f(True, "x", "X₁")
    y: bool = _f(True, "y", "X₂")
    x_squared: bool = _f(False, "xSquared", "X₁²")
    y_squared: bool = _f(False, "ySquared", "X₂²")
    x_times_y: bool = _f(False, "xTimesY", "X₁X₂")
    sin_x: bool = _f(False, "sinX", "sin(X₁)")
    sin_y: bool = _f(False, "sinY", "sin(X₂)")
    # network
    network_shape: list[int] = _f([4, 2], "networkShape", "Hidden layers (units each)",
                                  lo=None, max_length=10)
    activation: Literal[ACTIVATIONS] = _f(  # type: ignore[valid-type]
        "tanh", "activation", "Activation", choices=ACTIVATIONS)
    layer_activations: list[Literal[ACTIVATIONS]] = _f(  # type: ignore[valid-type]
        [], "layerActivations", "Activation of each hidden layer (empty: all the same)",
        choices=ACTIVATIONS, max_length=10)
    loss: Literal[LOSSES] = _f(  # type: ignore[valid-type]
        "auto", "loss", "Output unit and loss", choices=LOSSES)
    maxout_pieces: int = _f(2, "maxoutPieces", "Maxout pieces k (a = max of k linear maps)",
                            lo=2, hi=5)
    init: Literal[INITS] = _f("xavier", "init", "Initialization", choices=INITS)  # type: ignore[valid-type]
    init_seed: int = _f(0, "initSeed", "Init seed", lo=0, hi=2**31 - 1)
    # per hidden layer (see PER_LAYER): one entry per layer, [] for none
    dropout: list[Annotated[float, Field(ge=0.0, le=0.9)]] = _f(
        [], "dropout", "Dropout p of each hidden layer", max_length=10)
    batch_norm: list[bool] = _f([], "batchNorm", "BatchNorm1d after each hidden Linear",
                                max_length=10)
    layer_norm: list[bool] = _f([], "layerNorm", "LayerNorm after each hidden Linear",
                                max_length=10)
    gaussian_noise: list[Annotated[float, Field(ge=0.0, le=5.0)]] = _f(
        [], "gaussianNoise", "Gaussian noise σ of each hidden layer", max_length=10)
    # training
    optimizer: Literal[OPTIMIZERS] = _f(  # type: ignore[valid-type]
        "sgd", "optimizer", "Optimizer", choices=OPTIMIZERS)
    learning_rate: float = _f(0.03, "learningRate", "Learning rate", resets=False,
                              choices=LEARNING_RATES, gt=0.0, lo=None, hi=100.0)
    momentum: float = _f(0.9, "momentum", "Momentum β", resets=False, lo=0.0, hi=0.999)
    beta1: float = _f(0.9, "beta1", "Adam β₁", resets=False, lo=0.0, hi=0.999)
    beta2: float = _f(0.999, "beta2", "Adam β₂", resets=False, lo=0.0, hi=0.99999)
    epsilon: float = _f(1e-8, "epsilon", "ε", resets=False, gt=0.0, hi=1.0)
    rho: float = _f(0.9, "rho", "ρ (RMSProp, AdaDelta)", resets=False, lo=0.0, hi=0.999)
    schedule: Literal[SCHEDULES] = _f(  # type: ignore[valid-type]
        "constant", "schedule", "Learning-rate schedule", choices=SCHEDULES)
    schedule_epochs: int = _f(100, "scheduleEpochs", "Schedule period (epochs)", lo=1,
                              hi=100000)
    batch_size: int = _f(10, "batchSize", "Batch size (0: full batch)", lo=0, hi=5000)
    reshuffle: bool = _f(True, "reshuffle", "Reshuffle every epoch")
    regularization: Literal["none", "l1", "l2"] = _f(
        "none", "regularization", "Regularization", choices=("none", "l1", "l2"))
    regularization_rate: float = _f(0.0, "regularizationRate", "Regularization rate",
                                    choices=REG_RATES, lo=0.0, hi=10.0)
    l1_mode: Literal["tf", "subgradient"] = _f(
        "tf", "l1Mode", "L1 (tf: clamp at 0; subgradient)", choices=("tf", "subgradient"))
    clip: float = _f(0.0, "clip", "Gradient-norm clip (0: off)", resets=False, lo=0.0,
                     hi=1000.0)
    max_epochs: int = _f(0, "maxEpochs", "Stop after epochs (0: never)", resets=False,
                         lo=0, hi=10**7)
    target_loss: float = _f(0.0, "targetLoss", "Stop at test loss (0: off)", resets=False,
                            lo=0.0)
    patience: int = _f(0, "patience", "Early-stopping patience (0: off)", resets=False,
                       lo=0, hi=100000)
    # view
    show_test_data: bool = _f(False, "showTestData", "Show test data", resets=False)
    discretize: bool = _f(False, "discretize", "Discretize output", resets=False)
    hide: list[str] = _f([], "hide", "Controls hidden (classroom mode)", resets=False,
                         max_length=64)

    @model_validator(mode="before")
    @classmethod
    def _one_value_per_layer(cls, data: Any) -> Any:
        """Spread a single value (``dropout=0.2``, ``[0.2]``) over every hidden layer,
        and write "off on every layer" as []."""
        if not isinstance(data, dict) or not isinstance(data.get("network_shape", []), list):
            return data
        n = len(data.get("network_shape", cls.model_fields["network_shape"].default))
        out = dict(data)
        for name in PER_LAYER:
            value = out.get(name)
            if value is None:
                continue
            if not isinstance(value, list):
                value = [value]
            if len(value) == 1 and n != 1:
                value = value * n
            out[name] = [] if all(v in (0, False) for v in value) else value
        return out

    def per_layer(self, name: str, index: int) -> Any:
        """Setting ``name`` (one of PER_LAYER) of hidden layer ``index``: off when unset."""
        values = getattr(self, name)
        return values[index] if values else PER_LAYER_OFF[name]

    def n_classes(self) -> int:
        """K, the number of classes (1 for regression)."""
        if self.problem == "regression":
            return 1
        return self.classes if self.dataset in ("blobs", "spirals") else 2

    def features(self) -> list[str]:
        """The input features switched on, in the page's order."""
        return [name for name in FEATURES if getattr(self, name)]

    def resolved_loss(self) -> str:
        """The loss ``auto`` stands for: BCE (2 classes), CE (K > 2) or MSE (regression)."""
        if self.loss != "auto":
            return self.loss
        if self.problem == "regression":
            return "mse"
        return "bce" if self.n_classes() == 2 else "ce"


TF_COMPAT = {"loss": "half_mse", "init": "tf", "reshuffle": False, "l1_mode": "tf",
             "optimizer": "sgd", "schedule": "constant"}
"""TF Playground's model and training choices (see the module docstring)."""


def tf_compat(**overrides: Any) -> PlaygroundConfig:
    """A config with TF Playground's semantics (``TF_COMPAT``), then ``overrides``."""
    return make_config({**TF_COMPAT, **overrides})


def field_names() -> list[str]:
    return list(PlaygroundConfig.model_fields)


def explain(err: ValidationError, given: dict[str, Any]) -> str:
    """One line for the first problem of a pydantic ValidationError."""
    first = err.errors()[0]
    name = ".".join(str(p) for p in first["loc"]) or "config"
    top = str(first["loc"][0]) if first["loc"] else ""
    if first["type"] == "extra_forbidden":
        near = closest(top, field_names()) or "learning_rate"
        example = PlaygroundConfig.model_fields[near].default
        return (f"PlaygroundConfig: unknown setting {top!r}{did_you_mean(top, field_names())}"
                f"; e.g. {near}={example!r}")
    meta = PlaygroundConfig.model_fields.get(top)
    default = None if meta is None else meta.default
    if top in PER_LAYER:  # [] says nothing: show one entry per layer
        default = per_layer_example(top, 2)
    extra = (meta.json_schema_extra or {}) if meta is not None else {}
    choices = extra.get("choices")
    what = first["msg"][0].lower() + first["msg"][1:]
    if choices and "literal" in first["type"]:
        what = f"must be one of {', '.join(map(str, choices))}"
    got = shown(given.get(top, first.get("input")))
    return f"PlaygroundConfig: {name} {what}, got {got}; e.g. {top}={default!r}"


def make_config(values: dict[str, Any] | None = None, base: PlaygroundConfig | None = None
                ) -> PlaygroundConfig:
    """A validated config from ``base`` (or the defaults) updated with ``values``.

    Raises ParameterError with one line naming the setting and the fix.
    """
    values = dict(values or {})
    merged = {**(base.model_dump() if base is not None else {}), **values}
    try:
        config = PlaygroundConfig(**merged)
    except ValidationError as err:
        raise ParameterError(explain(err, merged)) from None
    check_consistent(config)
    return config


def check_consistent(config: PlaygroundConfig) -> None:
    """Cross-field rules a single field cannot express."""
    shape = config.network_shape
    if any(not 1 <= n <= 64 for n in shape):
        raise ParameterError(f"PlaygroundConfig: network_shape must hold 1 to 64 units per "
                             f"layer, got {shown(shape)}; e.g. network_shape=[4, 2]")
    if config.layer_activations and len(config.layer_activations) != len(shape):
        raise ParameterError(
            f"PlaygroundConfig: layer_activations needs one name per hidden layer "
            f"({len(shape)}), got {len(config.layer_activations)}; e.g. "
            f"layer_activations={['tanh'] * len(shape)} or [] for all the same")
    for name in PER_LAYER:
        values = getattr(config, name)
        if values and len(values) != len(shape):
            example = per_layer_example(name, max(1, len(shape)))
            raise ParameterError(
                f"PlaygroundConfig: {name} needs one value per hidden layer ({len(shape)}), "
                f"got {len(values)}; e.g. {name}={example}, one value for every layer, "
                "or [] for none")
    if not config.features():
        raise ParameterError("PlaygroundConfig: at least one input feature must be on; "
                             "e.g. x=True")
    loss, k = config.resolved_loss(), config.n_classes()
    regression = config.problem == "regression"
    if regression and loss not in ("mse", "mae", "huber", "half_mse"):
        raise ParameterError(f"PlaygroundConfig: loss {loss!r} is for classification; "
                             "regression takes mse, mae, huber or half_mse; e.g. loss='mse'")
    if not regression and loss in ("mse", "mae", "huber"):
        raise ParameterError(f"PlaygroundConfig: loss {loss!r} is for regression; "
                             "classification takes bce, ce, half_mse or hinge; e.g. loss='auto'")
    if not regression and k > 2 and loss != "ce":
        raise ParameterError(f"PlaygroundConfig: {k} classes need loss 'ce' (softmax), got "
                             f"{loss!r}; e.g. loss='auto'")
