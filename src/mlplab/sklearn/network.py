"""The network an estimator trains: ``Sequential`` of ``Linear`` layers and activations.

Layer l maps a^[l−1] to z^[l] = W^[l] a^[l−1] + b^[l], then (hidden layers only)
optional normalization, the activation g^[l] and optional dropout::

    Linear → [BatchNorm1d | LayerNorm] → activation → [Dropout]    (each hidden layer)
    Linear                                                          (the output layer)

The output layer stays linear: the output activation (softmax, logistic, identity,
exp) is folded into the loss, which is both stabler and what ``out_activation_`` names.

Initialization ``initializer=None`` is scikit-learn's: W and b ~ U(−r, r) with
r = √(f / (n_in + n_out)), f = 6 (Glorot & Bengio 2010), or f = 2 when the hidden
activation is the logistic sigmoid. The draws come from the estimator's
``RandomState`` in scikit-learn's order (per layer: W as (n_in, n_out), then b), so a
given ``random_state`` starts from scikit-learn's own initial weights, and the epoch
shuffles that follow draw from the same stream as scikit-learn's: the two estimators
train the same network, step for step, up to float rounding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mlplab.nn import init as nn_init
from mlplab.nn.activation import get_activation
from mlplab.nn.container import Sequential
from mlplab.nn.dropout import Dropout
from mlplab.nn.linear import Linear
from mlplab.nn.module import StochasticModule
from mlplab.nn.normalization import BatchNorm1d, LayerNorm

_RENAMED = {"logistic": "sigmoid"}  # scikit-learn's name → mlplab's


def hidden_activations(activation: Any, layers: int) -> list[str]:
    """One activation name per hidden layer (mlplab's spelling)."""
    names = [activation] * layers if isinstance(activation, str) else list(activation)
    return [_RENAMED.get(name, name) for name in names]


class _Generators:
    """The estimator's ``RandomState`` and, made on first use, a ``Generator`` seeded
    from it for mlplab's own initializers and stochastic layers. Drawing that seed
    only when needed leaves scikit-learn's configurations on scikit-learn's stream."""

    def __init__(self, random_state: np.random.RandomState) -> None:
        self.random_state = random_state
        self._generator: np.random.Generator | None = None

    @property
    def generator(self) -> np.random.Generator:
        if self._generator is None:
            seed = self.random_state.randint(np.iinfo(np.int32).max)
            self._generator = np.random.default_rng(seed)
        return self._generator


def _init_linear(layer: Linear, initializer: str | None, factor: float,
                 draws: _Generators) -> None:
    if initializer == "pytorch":
        layer.reset_parameters(draws.generator)
        return
    if initializer is None:  # scikit-learn's Glorot-uniform, biases included
        n_in, n_out = layer.in_features, layer.out_features
        bound = math.sqrt(factor / (n_in + n_out))
        weight = draws.random_state.uniform(-bound, bound, (n_in, n_out))
        bias = draws.random_state.uniform(-bound, bound, n_out)
        layer.weight.data[...] = weight.T
        layer.bias.data[...] = bias
        return
    nn_init.get_initializer(initializer)(layer.weight, seed=draws.generator)
    nn_init.zeros_(layer.bias)


def build_network(spec: dict[str, Any], units: list[int], dtype: Any,
                  random_state: np.random.RandomState) -> Sequential:
    """The model for ``units`` = [n_in, hidden…, n_out], drawn from ``random_state``.

    ``spec`` holds the estimator's parameters (activation, initializer, normalization,
    dropout).
    """
    draws = _Generators(random_state)
    names = hidden_activations(spec["activation"], len(units) - 2)
    layers: list[Any] = []
    for l, (n_in, n_out) in enumerate(zip(units[:-1], units[1:], strict=True)):
        linear = Linear(n_in, n_out, dtype=dtype, seed=0)
        is_hidden = l < len(units) - 2
        factor = 2.0 if is_hidden and names[l] == "sigmoid" or (
            not is_hidden and names and names[-1] == "sigmoid") else 6.0
        _init_linear(linear, spec["initializer"], factor, draws)
        layers.append(linear)
        if not is_hidden:
            break
        if spec["normalization"] == "batch":
            layers.append(BatchNorm1d(n_out, dtype=dtype))
        elif spec["normalization"] == "layer":
            layers.append(LayerNorm(n_out, dtype=dtype))
        layers.append(get_activation(names[l]))
        if spec["dropout"] > 0:
            layers.append(Dropout(spec["dropout"]))
    model = Sequential(*layers)
    if any(isinstance(m, StochasticModule) for m in model.modules()):
        model.set_rng(draws.generator)
    return model


def linear_layers(model: Sequential) -> list[Linear]:
    """The ``Linear`` layers in order: their weights are ``coefs_``ᵀ and ``intercepts_``."""
    return [m for m in model if isinstance(m, Linear)]
