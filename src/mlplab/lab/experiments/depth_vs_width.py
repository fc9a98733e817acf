"""Claim 22: at an equal number of parameters, a deeper network fits a tangled set
better than a single wide hidden layer.

One hidden layer can approximate any function (universal approximation), but may need
very many units; stacking layers composes folds, so the number of linear pieces of a
deep ReLU/tanh net can grow exponentially with depth while a shallow net's grows
linearly with width. The run spends the same budget of 93 parameters two ways,
2-15-3 (one layer of 15) and 2-5-5-5-3 (three layers of 5), on three interleaved
spirals, and trains both the same way.
"""

from __future__ import annotations

import numpy as np

from mlplab import nn, optim
from mlplab.data import spirals
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import in_k_of_n
from mlplab.train import Trainer

CLAIM = Claim(
    name="depth-vs-width", number=22, group="neurons",
    claim="With the same number of parameters, a deep narrow network fits a tangled "
          "decision boundary better than a shallow wide one.",
    term="深度 vs 宽度 (depth versus width)",
    concept="Multilayer perceptron and the forward pass",
    expected="Three spirals (600 points, noise 0.1, 1.5 turns), tanh, full-batch Adam "
             "lr 0.02 for 600 steps: 2-5-5-5-3 (93 parameters) reaches a higher training "
             "accuracy than 2-15-3 (93 parameters) by >= 0.02 in 3 of 3 seeds.",
    formula="parameters = Σ_l (n[l−1] + 1) n[l]:  2-15-3 → 93,  2-5-5-5-3 → 93",
    quick_s=8.0, full_s=8.0)

SHAPES = {"shallow 2-15-3": (2, 15, 3), "deep 2-5-5-5-3": (2, 5, 5, 5, 3)}


def net(sizes: tuple[int, ...], seed: int) -> nn.Sequential:
    """A tanh MLP with the given layer sizes (the output layer is linear)."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        layers += [nn.Linear(n_in, n_out, seed=seed + i), nn.Tanh()]
    return nn.Sequential(*layers[:-1]).double()


def run(lab: Context) -> Outcome:
    X, y = spirals(600, classes=3, noise=0.1, turns=1.5, seed=int(lab.rng(0).integers(1 << 30)))
    X = X.astype(np.float64)
    steps = 600
    accuracy: dict[str, list[float]] = {k: [] for k in SHAPES}
    models = {}
    for k in range(3):
        for label, sizes in SHAPES.items():
            model = models[label] = net(sizes, lab.seed * 100 + 10 * k)
            Trainer(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.02),
                    verbose=0).fit(X, y, epochs=steps, batch_size=None)
            accuracy[label].append(float(np.mean(model(X).data.argmax(1) == y)))
    params = {label: sum(p.data.size for p in models[label].parameters()) for label in SHAPES}
    deep, shallow = accuracy["deep 2-5-5-5-3"], accuracy["shallow 2-15-3"]
    verdict = in_k_of_n([d >= s + 0.02 for d, s in zip(deep, shallow, strict=True)], 3)
    if lab.drawing:
        _draw(lab, models, accuracy, X, y)
    return Outcome(
        verdict=verdict,
        reason=f"training accuracy per seed: deep {np.round(deep, 3).tolist()} vs shallow "
               f"{np.round(shallow, 3).tolist()} ({params['deep 2-5-5-5-3']} vs "
               f"{params['shallow 2-15-3']} parameters)",
        measured={"accuracy": accuracy, "parameters": params},
        config={"data": "spirals n=600, 3 classes, noise 0.1, 1.5 turns", "activation": "tanh",
                "optimizer": "Adam lr=0.02, full batch", "steps": steps, "seeds": 3})


def _draw(lab: Context, models: dict, accuracy: dict, X: np.ndarray, y: np.ndarray) -> None:
    from mlplab.viz import plot_decision_boundary

    for label, model in models.items():
        fig = plot_decision_boundary(
            lambda grid, m=model: m(grid.astype(np.float64)).data, X, y, resolution=120,
            title=f"{label} (93 parameters): train accuracy {accuracy[label][-1]:.2f}")
        lab.save(fig, "boundary_" + label.split()[0])
