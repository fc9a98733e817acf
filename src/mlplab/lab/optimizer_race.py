"""Watch optimizers race on the same problem (notes: Momentum, RMSprop, Adam, decay).

The same network, the same initial weights and the same mini-batches are trained
with each optimizer; only the update rule differs, so the loss curves compare
the rules themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mlplab as ml

DEFAULT_OPTIMIZERS: dict[str, tuple[str, dict[str, Any]]] = {
    "SGD": ("sgd", {"lr": 0.05}),
    "Momentum": ("sgd", {"lr": 0.05, "momentum": 0.9}),
    "Nesterov": ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "Adagrad": ("adagrad", {"lr": 0.05}),
    "RMSprop": ("rmsprop", {"lr": 0.005}),
    "Adadelta": ("adadelta", {"lr": 1.0}),
    "Adam": ("adam", {"lr": 0.005}),
}


def optimizer_race(optimizers: Mapping[str, tuple[str, dict[str, Any]]] = DEFAULT_OPTIMIZERS,
                   dataset: str = "spirals", hidden: int = 32, epochs: int = 60,
                   batch_size: int = 32, out_dir: Any = None,
                   seed: int = 0) -> dict[str, list[float]]:
    """Training loss per epoch for each optimizer (same data, weights and batch order)."""
    X, y = getattr(ml.data, dataset)(n=600, seed=seed)
    curves: dict[str, list[float]] = {}
    for label, (name, kwargs) in optimizers.items():
        model = ml.nn.Sequential(ml.nn.Linear(2, hidden), ml.nn.Tanh(),
                                 ml.nn.Linear(hidden, hidden), ml.nn.Tanh(),
                                 ml.nn.Linear(hidden, int(y.max()) + 1))
        optimizer = ml.optim.get_optimizer(name, model.parameters(), **kwargs)
        trainer = ml.train.Trainer(model, ml.nn.CrossEntropyLoss(), optimizer, seed=seed,
                                   verbose=0)
        curves[label] = trainer.fit(X, y, epochs=epochs, batch_size=batch_size)["loss"]
    if out_dir is not None:
        ml.viz.plot_curves(curves, Path(out_dir) / f"optimizers_{dataset}.png",
                           ylabel="training loss", logy=True,
                           title=f"optimizers on {dataset} (same weights and batches)")
    return curves
