"""Shared pieces of the MNIST experiments: an MLP builder, a fit and the weights.

Not an experiment (no ``CLAIM``): the catalog skips it. The seeded MNIST subset is
:func:`mlplab.lab.mnist_subset.mnist_subset`, re-exported here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab import nn, optim
from mlplab.lab.mnist_subset import mnist_subset
from mlplab.train import Trainer

__all__ = ["fit", "mlp", "mnist_subset", "weights"]


def mlp(sizes: tuple[int, ...], activation: str = "relu", dropout: float = 0.0,
        between: Any = None, init: Any = None) -> nn.Sequential:
    """An MLP ``sizes[0]-…-sizes[-1]``; ``between(width)`` (e.g. a norm layer) goes after
    each hidden Linear, then the activation, then ``Dropout(dropout)`` if > 0; ``init`` is
    passed to every ``nn.Linear``."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        layers.append(nn.Linear(n_in, n_out, init=init))
        if i < len(sizes) - 2:
            if between is not None:
                layers.append(between(n_out))
            layers.append(nn.get_activation(activation))
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def fit(model: nn.Sequential, data: tuple[np.ndarray, ...], epochs: int, seed: int,
        optimizer: Any = None, batch_size: int | None = 64, validate: bool = True,
        **trainer: Any) -> dict:
    """Train with Adam (lr 1e-3) unless ``optimizer`` is given; return the History, with
    ``val_accuracy`` measured on (X_dev, y_dev) each epoch when ``validate``."""
    X, y, Xd, yd = data
    optimizer = optimizer or optim.Adam(model.parameters(), lr=1e-3)
    run = Trainer(model, nn.CrossEntropyLoss(), optimizer, metrics=("accuracy",), seed=seed,
                  verbose=0, **trainer)
    return run.fit(X, y, epochs=epochs, batch_size=batch_size,
                   validation_data=(Xd, yd) if validate else None).history


def weights(model: nn.Sequential) -> np.ndarray:
    """Every weight matrix entry of the model's Linear layers, flattened (biases left out)."""
    return np.concatenate([p.data.ravel() for name, p in model.named_parameters()
                           if name.endswith("weight") and p.data.ndim == 2])
