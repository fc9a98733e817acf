"""Watch hidden units bend the decision boundary (why XOR needs a hidden layer).

Without a hidden layer a classifier is linear in x: its boundary is a straight
line, so it cannot separate XOR, two moons or spirals. Each hidden unit adds one
"fold"; with enough of them the boundary follows any shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import mlplab.nn as nn
import mlplab.optim as optim
import mlplab.train as train
import mlplab.viz as viz
from mlplab.lab.findings import Findings
from mlplab.lab.toy_data import toy_dataset

HIDDEN_SIZES = (0, 2, 8, 32)
"""Hidden widths the experiment compares (0: no hidden layer, a linear classifier)."""


def _toy_points(dataset: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # 400 points; spirals get less jitter so their arms stay apart
    return toy_dataset(dataset, n=400, seed=seed, noise=0.1 if dataset == "spirals" else 0.15,
                       owner="compare_hidden_sizes")


def fit_boundary(dataset: str, hidden: int, activation: str = "tanh", epochs: int = 300,
                 seed: int = 0) -> tuple[Any, float, tuple[np.ndarray, np.ndarray]]:
    """Train a 2-``hidden``-K network (``hidden=0``: no hidden layer) with Adam and return
    (trainer, training accuracy, (X, y))."""
    X, y = _toy_points(dataset, seed)
    classes = int(y.max()) + 1
    layers: list[Any] = [nn.Linear(2, classes)] if hidden == 0 else [
        nn.Linear(2, hidden), nn.get_activation(activation), nn.Linear(hidden, classes)]
    model = nn.Sequential(*layers)
    trainer = train.Trainer(model, nn.CrossEntropyLoss(),
                            optim.Adam(model.parameters(), lr=0.02),
                            metrics=("accuracy",), seed=seed, verbose=0)
    history = trainer.fit(X, y, epochs=epochs, batch_size=64)
    return trainer, history["accuracy"][-1], (X, y)


def boundary_path(out_dir: Any, dataset: str, hidden: int) -> Path:
    """Where ``compare_hidden_sizes`` draws the boundary of one width."""
    return Path(out_dir) / f"boundary_{dataset}_{hidden}_hidden.png"


def compare_hidden_sizes(dataset: str = "moons", hidden_sizes: Sequence[int] = HIDDEN_SIZES,
                         activation: str = "tanh", epochs: int = 300, out_dir: Any = None,
                         seed: int = 0) -> dict[int, float]:
    """Training accuracy for each hidden width; with ``out_dir`` one boundary plot each."""
    accuracies = {}
    for hidden in hidden_sizes:
        trainer, accuracy, (X, y) = fit_boundary(dataset, hidden, activation, epochs, seed)
        accuracies[hidden] = accuracy
        if out_dir is not None:
            viz.plot_decision_boundary(
                trainer, X, y, boundary_path(out_dir, dataset, hidden),
                title=f"{dataset}: {hidden} hidden units ({activation}), "
                      f"train accuracy {accuracy:.2f}")
    return accuracies


def hidden_size_findings(out_dir: Any = None, seed: int = 0, dataset: str = "moons",
                         activation: str = "tanh", epochs: int = 300) -> Findings:
    """The lab's ``hidden-sizes`` experiment: training accuracy per hidden width."""
    accuracy = compare_hidden_sizes(dataset, activation=activation, epochs=epochs,
                                    out_dir=out_dir, seed=seed)
    figures = () if out_dir is None else tuple(
        boundary_path(out_dir, dataset, hidden) for hidden in accuracy)
    return Findings(title=f"training accuracy on {dataset} ({activation} hidden units)",
                    columns=("hidden units", "accuracy"),
                    rows=tuple((str(h), f"{a:.3f}") for h, a in accuracy.items()),
                    figures=figures)
