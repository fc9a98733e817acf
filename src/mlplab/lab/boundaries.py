"""Watch hidden units bend the decision boundary (notes: why XOR needs a hidden layer).

Without a hidden layer a classifier is linear in x: its boundary is a straight
line, so it cannot separate XOR, two moons or spirals. Each hidden unit adds one
"fold"; with enough of them the boundary follows any shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import mlplab as ml

DATASETS = ("xor", "moons", "circles", "spirals")


def _dataset(name: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if name not in DATASETS:
        raise ValueError(f"dataset: expected one of {', '.join(DATASETS)}, received {name!r}")
    if name == "xor":
        return ml.data.xor(n=400, noise=0.15, seed=seed)
    return getattr(ml.data, name)(n=400, noise=0.15 if name != "spirals" else 0.1, seed=seed)


def fit_boundary(dataset: str, hidden: int, activation: str = "tanh", epochs: int = 300,
                 seed: int = 0) -> tuple[Any, float, tuple[np.ndarray, np.ndarray]]:
    """Train a 2-``hidden``-K network (``hidden=0``: no hidden layer) and return
    (trainer, training accuracy, (X, y))."""
    X, y = _dataset(dataset, seed)
    classes = int(y.max()) + 1
    layers: list[Any] = [ml.nn.Linear(2, classes)] if hidden == 0 else [
        ml.nn.Linear(2, hidden), ml.nn.get_activation(activation), ml.nn.Linear(hidden, classes)]
    model = ml.nn.Sequential(*layers)
    trainer = ml.train.Trainer(model, ml.nn.CrossEntropyLoss(),
                               ml.optim.Adam(model.parameters(), lr=0.02),
                               metrics=("accuracy",), seed=seed, verbose=0)
    history = trainer.fit(X, y, epochs=epochs, batch_size=64)
    return trainer, history["accuracy"][-1], (X, y)


def compare_hidden_sizes(dataset: str = "moons", hidden_sizes: Sequence[int] = (0, 2, 8, 32),
                         activation: str = "tanh", epochs: int = 300, out_dir: Any = None,
                         seed: int = 0) -> dict[int, float]:
    """Training accuracy for each hidden width; with ``out_dir`` one boundary plot each."""
    accuracies = {}
    for hidden in hidden_sizes:
        trainer, accuracy, (X, y) = fit_boundary(dataset, hidden, activation, epochs, seed)
        accuracies[hidden] = accuracy
        if out_dir is not None:
            ml.viz.plot_decision_boundary(
                trainer, X, y, Path(out_dir) / f"boundary_{dataset}_{hidden}_hidden.png",
                title=f"{dataset}: {hidden} hidden units ({activation}), "
                      f"train accuracy {accuracy:.2f}")
    return accuracies
