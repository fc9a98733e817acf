"""The network an estimator trains: ``Sequential`` of ``Linear`` layers and activations.

Layer l maps a^[l−1] to z^[l] = W^[l] a^[l−1] + b^[l], then (hidden layers only)
optional normalization, the activation g^[l] and optional dropout::

    Linear → [BatchNorm1d | LayerNorm] → activation → [Dropout]    (each hidden layer)
    Linear                                                          (the output layer)

The output layer stays linear: the output activation (softmax, logistic, identity,
exp) is folded into the loss, which is both stabler and what ``out_activation_`` names.

Initialization ``initializer=None`` is scikit-learn's: W and b ~ U(−r, r) with
r = √(f / (n_in + n_out)), f = 6 (Glorot & Bengio 2010), or f = 2 when the hidden
activation is the logistic sigmoid.
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
from mlplab.nn.normalization import BatchNorm1d, LayerNorm

_RENAMED = {"logistic": "sigmoid"}  # scikit-learn's name → mlplab's


def hidden_activations(activation: Any, layers: int) -> list[str]:
    """One activation name per hidden layer (mlplab's spelling)."""
    names = [activation] * layers if isinstance(activation, str) else list(activation)
    return [_RENAMED.get(name, name) for name in names]


def _init_linear(layer: Linear, initializer: str | None, factor: float, rng: Any) -> None:
    if initializer == "pytorch":
        layer.reset_parameters(rng)
        return
    if initializer is None:  # scikit-learn's Glorot-uniform, biases included
        bound = math.sqrt(factor / (layer.in_features + layer.out_features))
        nn_init.uniform_(layer.weight, -bound, bound, seed=rng)
        nn_init.uniform_(layer.bias, -bound, bound, seed=rng)
        return
    nn_init.get_initializer(initializer)(layer.weight, seed=rng)
    nn_init.zeros_(layer.bias)


def build_network(spec: dict[str, Any], units: list[int], dtype: Any,
                  rng: np.random.Generator) -> Sequential:
    """The model for ``units`` = [n_in, hidden…, n_out], drawn from ``rng``.

    ``spec`` holds the estimator's parameters (activation, initializer, normalization,
    dropout).
    """
    names = hidden_activations(spec["activation"], len(units) - 2)
    layers: list[Any] = []
    for l, (n_in, n_out) in enumerate(zip(units[:-1], units[1:], strict=True)):
        linear = Linear(n_in, n_out, dtype=dtype, seed=0)
        is_hidden = l < len(units) - 2
        factor = 2.0 if is_hidden and names[l] == "sigmoid" or (
            not is_hidden and names and names[-1] == "sigmoid") else 6.0
        _init_linear(linear, spec["initializer"], factor, rng)
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
    model.set_rng(rng)
    return model


def linear_layers(model: Sequential) -> list[Linear]:
    """The ``Linear`` layers in order: their weights are ``coefs_``ᵀ and ``intercepts_``."""
    return [m for m in model if isinstance(m, Linear)]
