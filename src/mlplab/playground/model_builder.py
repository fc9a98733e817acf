"""A playground config → input features, an ``ml.nn.Sequential``, its loss and optimizer.

Hidden layer l: ``Linear → [BatchNorm1d] → [LayerNorm] → g_l → [GaussianNoise] →
[Dropout]``, each bracketed layer switched on for that layer alone (a Maxout layer takes
the place of Linear and g_l, with ``maxout_pieces`` k pieces:
a_j = max_{p<k} (W_{jp} a_prev + b_{jp})). In training mode, with z the layer's
pre-activation over a mini-batch B and a its activation:

* BatchNorm1d: ẑ = γ·(z − μ_B)/√(σ²_B + ε) + β per unit; eval mode uses the running
  mean and variance instead of the batch's;
* LayerNorm: ẑ = γ·(z − μ)/√(σ² + ε) + β over the units of one example (same in eval);
* GaussianNoise: a + σ·ε, ε ~ N(0, 1); nothing in eval mode;
* Dropout: a·m/(1 − p), m ~ Bernoulli(1 − p) (inverted dropout); nothing in eval mode.

The output unit follows the loss: tanh for TF's ½MSE on ±1 labels, sigmoid for binary
cross-entropy, K raw scores for softmax cross-entropy (the softmax is inside the loss),
linear for hinge and for the regression losses (MSE, MAE, Huber, ½MSE).

Initializations: ``tf`` is TF Playground's W ~ U(−0.5, 0.5), b = 0.1; ``zeros`` sets
everything to 0 (the symmetry demo: every unit of a layer stays identical); ``normal``
is W ~ N(0, 1); ``xavier``, ``he`` and ``lecun`` are ``ml.nn.init``'s Glorot uniform,
He normal and LeCun normal with b = 0. All draws come from one generator seeded by
the init seed, layer after layer, so "reset" gives back the same weights.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import mlplab.nn as nn
import mlplab.optim as optim
from mlplab.autograd.tensor import Tensor
from mlplab.optim.lr_schedule import LearningRateSchedule
from mlplab.playground.config import PlaygroundConfig

FEATURE_FUNCTIONS = {
    "x": lambda p: p[:, 0], "y": lambda p: p[:, 1], "x_squared": lambda p: p[:, 0] ** 2,
    "y_squared": lambda p: p[:, 1] ** 2, "x_times_y": lambda p: p[:, 0] * p[:, 1],
    "sin_x": lambda p: np.sin(p[:, 0]), "sin_y": lambda p: np.sin(p[:, 1]),
}
"""Input feature name → its value at points p of shape (n, 2)."""
NODE_IDS = {"x": "x", "y": "y", "x_squared": "xSquared", "y_squared": "ySquared",
            "x_times_y": "xTimesY", "sin_x": "sinX", "sin_y": "sinY"}
"""Feature name → the page's node id (TF Playground's)."""

_ACTIVATION = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid,
               "linear": nn.Identity, "leaky_relu": nn.LeakyReLU, "prelu": nn.PReLU,
               "elu": nn.ELU}


def feature_matrix(points: np.ndarray, names: list[str],
                   scaling: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(n, len(names)) float32 feature columns; ``scaling`` = (mean, std) standardizes."""
    columns = np.column_stack([FEATURE_FUNCTIONS[name](points) for name in names])
    if scaling is not None:
        columns = (columns - scaling[0]) / scaling[1]
    return columns.astype(np.float32)


def feature_scaling(points: np.ndarray, names: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Training-set mean and std of each feature (std 1 where a feature is constant)."""
    columns = feature_matrix(points, names).astype(np.float64)
    std = columns.std(axis=0)
    return columns.mean(axis=0), np.where(std > 0, std, 1.0)


def layer_activations(config: PlaygroundConfig) -> list[str]:
    """The activation name of each hidden layer."""
    return list(config.layer_activations) or [config.activation] * len(config.network_shape)


def init_layer(layer: Any, init: str, rng: np.random.Generator) -> None:
    """Draw a Linear layer's W and b by the playground's ``init`` name."""
    w, b = layer.weight, layer.bias
    if init == "tf":
        w.data[...] = rng.uniform(-0.5, 0.5, w.shape)
        b.data[...] = 0.1
    elif init == "zeros":
        w.data[...] = 0.0
        b.data[...] = 0.0
    elif init == "normal":
        w.data[...] = rng.standard_normal(w.shape)
        b.data[...] = 0.0
    else:
        name = {"xavier": "xavier_uniform", "he": "he_normal", "lecun": "lecun_normal"}[init]
        nn.get_initializer(name)(w, seed=rng)
        b.data[...] = 0.0


def output_units(config: PlaygroundConfig) -> tuple[int, str]:
    """(width, activation name) of the output layer for the config's loss."""
    loss = config.resolved_loss()
    if loss == "ce":
        return config.n_classes(), "softmax"
    if loss == "bce":
        return 1, "sigmoid"
    if loss == "half_mse" and config.problem == "classification":
        return 1, "tanh"
    return 1, "linear"


def build_model(config: PlaygroundConfig) -> nn.Sequential:
    """The network for ``config``, initialized from ``config.init_seed``."""
    rng = np.random.default_rng(config.init_seed)
    layers: list[Any] = []
    width = len(config.features())
    for index, (units, act) in enumerate(zip(config.network_shape, layer_activations(config),
                                             strict=True)):
        if act == "maxout":
            layers.append(nn.Maxout(width, units, pieces=config.maxout_pieces, seed=rng))
        else:
            linear = nn.Linear(width, units, seed=0)
            init_layer(linear, config.init, rng)
            layers.append(linear)
        if config.per_layer("batch_norm", index):
            layers.append(nn.BatchNorm1d(units))
        if config.per_layer("layer_norm", index):
            layers.append(nn.LayerNorm(units))
        if act == "rrelu":
            layers.append(nn.RReLU(seed=np.random.default_rng([config.init_seed, 1, index])))
        elif act != "maxout":
            layers.append(_ACTIVATION[act]())
        if (sigma := config.per_layer("gaussian_noise", index)) > 0:
            layers.append(nn.GaussianNoise(sigma, seed=np.random.default_rng(
                [config.init_seed, 2, index])))
        if (p := config.per_layer("dropout", index)) > 0:
            layers.append(nn.Dropout(p, seed=np.random.default_rng([config.init_seed, 3, index])))
        width = units
    out, act = output_units(config)
    last = nn.Linear(width, out, seed=0)
    init_layer(last, config.init, rng)
    layers.append(last)
    if act in ("tanh", "sigmoid"):
        layers.append(_ACTIVATION[act]())
    return nn.Sequential(*layers)


def weight_layers(model: nn.Sequential) -> list[Any]:
    """The model's Linear and Maxout layers, in order (the page's "layer i")."""
    return [m for m in model if isinstance(m, (nn.Linear, nn.Maxout))]


def targets(config: PlaygroundConfig, labels: np.ndarray) -> np.ndarray:
    """What the loss compares the output with: ±1, {0, 1}, class indices or targets."""
    loss = config.resolved_loss()
    if config.problem == "regression":
        return labels.astype(np.float32)[:, None]
    if loss == "ce":
        return labels.astype(np.int64)
    if loss in ("half_mse", "hinge"):
        return (2.0 * labels - 1.0).astype(np.float32)[:, None]
    return labels.astype(np.float32)[:, None]


def make_loss(config: PlaygroundConfig) -> Any:
    """The loss function (output, target) → scalar Tensor."""
    loss = config.resolved_loss()
    if loss == "half_mse":
        mse = nn.MSELoss()
        return lambda output, target: mse(output, target) * 0.5
    return {"bce": nn.BCELoss, "ce": nn.CrossEntropyLoss, "mse": nn.MSELoss,
            "mae": nn.L1Loss, "huber": nn.HuberLoss, "hinge": nn.HingeLoss}[loss]()


class TriangularCyclic(LearningRateSchedule):
    """Smith's triangular cyclic rate: from α₀/10 up to α₀ and back every 2·half steps.

    α(t) = α₀/10 + (α₀ − α₀/10) · (1 − |t/half mod 2 − 1|).
    """

    config = ("initial_learning_rate", "half_period")

    def __init__(self, initial_learning_rate: float, half_period: float) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.half_period = half_period

    def __call__(self, step: int) -> float:
        low = self.initial_learning_rate / 10
        x = abs((step / self.half_period) % 2 - 1)
        return low + (self.initial_learning_rate - low) * (1 - x)


def make_schedule(config: PlaygroundConfig, steps_per_epoch: int) -> Any:
    """The learning rate: a number, or a schedule over optimizer steps.

    The schedule's period is ``schedule_epochs`` epochs: inverse-time α₀/(1 + t/T),
    exponential α₀·0.5^(t/T), step ×0.5 every T, cosine to 0 over T, cyclic with a
    half period of T.
    """
    lr, period = config.learning_rate, max(1, config.schedule_epochs * steps_per_epoch)
    kind = config.schedule
    if kind == "constant":
        return lr
    if kind == "inverse_time":
        return optim.InverseTimeDecay(lr, period, 1.0)
    if kind == "exponential":
        return optim.ExponentialDecay(lr, period, 0.5)
    if kind == "step":
        return optim.StepDecay(lr, period, 0.5)
    if kind == "cosine":
        return optim.CosineDecay(lr, period)
    return TriangularCyclic(lr, period)


def build_optimizer(config: PlaygroundConfig, model: nn.Sequential,
                    steps_per_epoch: int) -> optim.Optimizer:
    """The optimizer chosen in ``config`` over every parameter of ``model``."""
    lr = make_schedule(config, steps_per_epoch)
    params = list(model.parameters())
    kind = config.optimizer
    if kind in ("sgd", "momentum", "nesterov"):
        return optim.SGD(params, lr=lr, momentum=0.0 if kind == "sgd" else config.momentum,
                         nesterov=kind == "nesterov")
    if kind == "adagrad":
        return optim.Adagrad(params, lr=lr, eps=config.epsilon)
    if kind == "rmsprop":
        return optim.RMSprop(params, lr=lr, alpha=config.rho, eps=config.epsilon)
    if kind == "adadelta":
        return optim.Adadelta(params, lr=lr, rho=config.rho, eps=config.epsilon)
    return optim.Adam(params, lr=lr, betas=(config.beta1, config.beta2), eps=config.epsilon)


def steps_per_epoch(config: PlaygroundConfig, n_train: int) -> int:
    size = config.batch_size or n_train
    return max(1, math.ceil(n_train / max(1, size)))


def penalty_terms(config: PlaygroundConfig,
                  model: nn.Sequential) -> list[np.ndarray] | None:
    """∂(penalty)/∂w / λ at the current weights: w for L2, sign(w) for L1 (None without).

    Taken before the gradient step, as TF Playground does, so one SGD step with L2 is
    w ← w − α·(∂J/∂w + λ·w).
    """
    if config.regularization == "none" or config.regularization_rate == 0:
        return None
    terms = np.copy if config.regularization == "l2" else np.sign
    return [terms(layer.weight.data) for layer in weight_layers(model)]


def regularize(config: PlaygroundConfig, model: nn.Sequential, lr: float,
               dead: list[np.ndarray | None],
               terms: list[np.ndarray] | None = None) -> None:
    """TF Playground's penalty step after the gradient step, on weights (not biases).

    L2: w −= α·λ·w. L1: w −= α·λ·sign(w); in ``tf`` mode a step that would carry w
    across 0 sets it to 0 and marks the link dead (never updated again until reset).
    ``terms`` are :func:`penalty_terms` of the weights before the gradient step; without
    them the current weights are used.
    """
    rate = config.regularization_rate
    if config.regularization == "none" or rate == 0:  # before listing layers: every batch
        return
    if terms is None:
        terms = penalty_terms(config, model)
    for i, (layer, term) in enumerate(zip(weight_layers(model), terms, strict=True)):
        w = layer.weight.data
        if config.regularization == "l2":
            w -= np.float32(lr * rate) * term
            continue
        new = w - np.float32(lr * rate) * term
        if config.l1_mode == "tf":
            crossed = w * new < 0
            dead[i] = crossed if dead[i] is None else dead[i] | crossed
            new[dead[i]] = 0.0
        w[...] = new


def to_tensor(values: np.ndarray) -> Tensor:
    return Tensor(values)
