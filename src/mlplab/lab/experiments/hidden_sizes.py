"""Claim 22 (hidden sizes): hidden units bend the decision boundary.

Without a hidden layer a classifier is linear in x: its boundary is a straight line,
so it cannot separate two moons, XOR or spirals. Each hidden unit adds one "fold";
with enough of them the boundary follows the data. The run trains 2-H-K tanh
networks with H = 0 (no hidden layer), 2, 8 and 32 on the same points with Adam and
draws each boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mlplab import nn, optim
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.findings import Findings
from mlplab.lab.toy_data import DATASET, toy_dataset
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.train import Trainer

HIDDEN_SIZES = (0, 2, 8, 32)
"""Hidden widths the experiment compares (0: no hidden layer, a linear classifier)."""

CLAIM = Claim(
    name="hidden-sizes", number=22, group="neurons",
    claim="A classifier without a hidden layer draws a straight boundary; adding hidden "
          "units lets the boundary bend around the classes.",
    term="隐藏层 (hidden layer)",
    concept="Multilayer perceptron and the forward pass",
    expected="Two moons (400 points, noise 0.15), tanh, Adam lr 0.02, 150 epochs: training "
             "accuracy with 0 hidden units <= 0.90, with 32 hidden units >= 0.95, and it "
             "never drops by more than 0.02 from one width to the next wider one.",
    formula="H = 0: ŷ = softmax(W x + b) (linear boundary);  H > 0: ŷ = softmax(W₂ tanh(W₁ x "
            "+ b₁) + b₂)",
    quick_s=8.0, full_s=12.0, options={"dataset": DATASET})


def fit_boundary(X: np.ndarray, y: np.ndarray, hidden: int, activation: str = "tanh",
                 epochs: int = 150, seed: int = 0) -> tuple[Trainer, float]:
    """Train a 2-``hidden``-K network (``hidden=0``: no hidden layer); return (trainer,
    training accuracy)."""
    classes = int(y.max()) + 1
    layers: list[Any] = [nn.Linear(2, classes)] if hidden == 0 else [
        nn.Linear(2, hidden), nn.get_activation(activation), nn.Linear(hidden, classes)]
    model = nn.Sequential(*layers)
    trainer = Trainer(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.02),
                      metrics=("accuracy",), seed=seed, verbose=0)
    history = trainer.fit(X, y, epochs=epochs, batch_size=64)
    return trainer, history["accuracy"][-1]


def compare_hidden_sizes(X: np.ndarray, y: np.ndarray, hidden_sizes: Sequence[int] = HIDDEN_SIZES,
                         epochs: int = 150, seed: int = 0) -> dict[int, tuple[Trainer, float]]:
    """(trainer, training accuracy) for each hidden width."""
    return {h: fit_boundary(X, y, h, epochs=epochs, seed=seed) for h in hidden_sizes}


def run(lab: Context) -> Outcome:
    dataset = lab.option("dataset", "moons")
    X, y = toy_dataset(dataset, n=400, seed=int(lab.rng(0).integers(1 << 30)),
                       noise=0.1 if dataset == "spirals" else 0.15, owner="hidden-sizes")
    epochs = 150 if lab.quick else 300
    fits = compare_hidden_sizes(X, y, epochs=epochs, seed=lab.seed)
    accuracy = {h: acc for h, (_, acc) in fits.items()}
    widths = list(accuracy)
    drops = [accuracy[a] - accuracy[b] for a, b in zip(widths, widths[1:], strict=False)]
    verdict = all_hold([at_most(accuracy[0], 0.90), at_least(accuracy[32], 0.95),
                        at_most(max(drops), 0.02)])
    if lab.drawing:
        from mlplab.viz import plot_decision_boundary

        for h, (trainer, acc) in fits.items():
            lab.save(plot_decision_boundary(
                trainer, X, y, title=f"{dataset}: {h} hidden units (tanh), train accuracy "
                                     f"{acc:.2f}"), f"boundary_{h}_hidden")
    return Outcome(
        verdict=verdict,
        reason="training accuracy by hidden width: " + ", ".join(
            f"{h}: {a:.3f}" for h, a in accuracy.items()),
        measured={"accuracy": {str(h): a for h, a in accuracy.items()}},
        table=Findings(f"training accuracy on {dataset}", ("hidden units", "accuracy"),
                       tuple((str(h), f"{a:.3f}") for h, a in accuracy.items())),
        config={"dataset": dataset, "optimizer": "Adam lr=0.02, batch 64", "epochs": epochs})
