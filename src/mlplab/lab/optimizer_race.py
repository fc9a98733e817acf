"""Watch optimizers race on the same problem (momentum, adaptive step sizes, Adam).

The same network, the same initial weights and the same mini-batches are trained
with each optimizer; only the update rule differs, so the loss curves compare
the rules themselves. The problem is a toy classification set (three interleaved
spirals by default), not a hand-made loss surface.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mlplab.nn as nn
import mlplab.optim as optim
import mlplab.train as train
import mlplab.viz as viz
from mlplab.lab.findings import Findings
from mlplab.lab.toy_data import toy_dataset

DEFAULT_OPTIMIZERS: dict[str, tuple[str, dict[str, Any]]] = {
    "SGD": ("sgd", {"lr": 0.05}),
    "Momentum": ("sgd", {"lr": 0.05, "momentum": 0.9}),
    "Nesterov": ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "Adagrad": ("adagrad", {"lr": 0.05}),
    "RMSprop": ("rmsprop", {"lr": 0.005}),
    "Adadelta": ("adadelta", {"lr": 1.0}),
    "Adam": ("adam", {"lr": 0.005}),
}
"""The racers: label → (``ml.optim`` name, its arguments)."""


def race_network(classes: int, hidden: int, activation: str) -> nn.Sequential:
    """2-``hidden``-``hidden``-``classes`` MLP; every racer starts from its weights."""
    return nn.Sequential(nn.Linear(2, hidden), nn.get_activation(activation),
                         nn.Linear(hidden, hidden), nn.get_activation(activation),
                         nn.Linear(hidden, classes))


def race_path(out_dir: Any, dataset: str) -> Path:
    """Where ``optimizer_race`` draws its loss curves."""
    return Path(out_dir) / f"optimizers_{dataset}.png"


def optimizer_race(optimizers: Mapping[str, tuple[str, dict[str, Any]]] = DEFAULT_OPTIMIZERS,
                   dataset: str = "spirals", hidden: int = 32, epochs: int = 60,
                   batch_size: int = 32, out_dir: Any = None, seed: int = 0,
                   activation: str = "tanh") -> dict[str, list[float]]:
    """Training loss per epoch for each optimizer (same data, weights and batch order).

    ``dataset`` is one of ``mlplab.lab.TOY_DATASETS`` (600 points); the same ``seed``
    gives every racer the same initial weights and the same shuffled batches.
    """
    X, y = toy_dataset(dataset, n=600, seed=seed, owner="optimizer_race")
    curves: dict[str, list[float]] = {}
    for label, (name, kwargs) in optimizers.items():
        model = race_network(int(y.max()) + 1, hidden, activation)
        optimizer = optim.get_optimizer(name, model.parameters(), **kwargs)
        trainer = train.Trainer(model, nn.CrossEntropyLoss(), optimizer, seed=seed, verbose=0)
        curves[label] = trainer.fit(X, y, epochs=epochs, batch_size=batch_size)["loss"]
    if out_dir is not None:
        viz.plot_curves(curves, race_path(out_dir, dataset), ylabel="training loss", logy=True,
                        title=f"optimizers on {dataset} (same weights and batches)")
    return curves


def optimizer_race_findings(out_dir: Any = None, seed: int = 0, dataset: str = "spirals",
                            activation: str = "tanh", epochs: int = 60) -> Findings:
    """The lab's ``optimizer-race`` experiment: training loss at epochs 1, 10 and the last."""
    curves = optimizer_race(dataset=dataset, epochs=epochs, out_dir=out_dir, seed=seed,
                            activation=activation)
    last = len(next(iter(curves.values())))
    rows = tuple((name, f"{loss[0]:.3f}", f"{loss[min(9, last - 1)]:.3f}", f"{loss[-1]:.3f}")
                 for name, loss in curves.items())
    return Findings(title=f"training loss on {dataset} (same weights and batches)",
                    columns=("optimizer", "epoch 1", "epoch 10", f"epoch {last}"), rows=rows,
                    figures=() if out_dir is None else (race_path(out_dir, dataset),))
