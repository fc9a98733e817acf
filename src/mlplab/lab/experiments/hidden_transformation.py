"""Claim 23: hidden layers warp the plane until the classes become linearly separable.

A 2-2-2-2 network with tanh units (two hidden layers of two units each, then a linear
softmax layer) can be drawn completely: each hidden layer maps the plane to the plane,
first by an affine map z = W a + b (rotate, stretch, shift) and then by tanh, which
squashes it into the square (−1, 1)². The output layer is linear, so the network can
only be right if the last hidden representation separates the classes with a line. The
run trains the net on noisy XOR (four clusters at the corners of the unit square)
and draws the input grid and the points after every step of the forward pass (after
C. Olah's "Neural Networks, Manifolds, and Topology").
"""

from __future__ import annotations

import numpy as np

from mlplab import nn, optim
from mlplab.data import xor
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_most, in_k_of_n
from mlplab.train import Trainer

CLAIM = Claim(
    name="hidden-transformation", number=23, group="neurons",
    claim="A 2-2-2 tanh network bends and squashes the plane, layer by layer, until the "
          "two classes can be cut by a straight line.",
    term="隐藏层的空间变换 (hidden layers transform the space)",
    concept="Visual intuition",
    expected="On noisy XOR (400 points, noise 0.15): the last hidden layer of a trained "
             "2-2-2-2 tanh net is linearly separable to >= 0.97 training accuracy (its own "
             "linear output layer) in >= 4 of 5 seeds, while logistic regression on the raw "
             "inputs stays <= 0.92.",
    formula="a[l] = tanh(W[l] a[l−1] + b[l]),  W[l] ∈ ℝ^{2×2}; output softmax(W[3] a[2] + b[3])",
    quick_s=7.0, full_s=7.0)


def _net(seed: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(2, 2, seed=seed), nn.Tanh(), nn.Linear(2, 2, seed=seed + 1),
                         nn.Tanh(), nn.Linear(2, 2, seed=seed + 2))


def _train(model: nn.Sequential, X: np.ndarray, y: np.ndarray, epochs: int, seed: int) -> float:
    trainer = Trainer(model, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=0.02),
                      verbose=0, seed=seed)
    trainer.fit(X, y, epochs=epochs, batch_size=32)
    return float(np.mean(model(X).data.argmax(1) == y))


def stages(model: nn.Sequential, points: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The points after each step of the forward pass (affine, tanh, affine, tanh)."""
    out, a = [("input x", points)], points
    for i, layer in enumerate(list(model)[:4]):
        a = layer(a).data
        out.append((f"z[{i // 2 + 1}] = W a + b" if i % 2 == 0 else f"a[{i // 2 + 1}] = tanh(z)",
                    a))
    return out


def run(lab: Context) -> Outcome:
    X, y = xor(400, noise=0.15, seed=int(lab.rng(0).integers(1 << 30)))
    X = X.astype(np.float64)
    epochs = 100
    models = [_net(lab.seed * 100 + 10 * k).double() for k in range(5)]
    accuracy = [_train(m, X, y, epochs, lab.seed + k) for k, m in enumerate(models)]
    linear = nn.Sequential(nn.Linear(2, 2, seed=lab.seed)).double()
    raw = _train(linear, X, y, epochs, lab.seed)
    verdict = all_hold([in_k_of_n([a >= 0.97 for a in accuracy], 4), at_most(raw, 0.92)])
    best = models[int(np.argmax(accuracy))]
    if lab.drawing:
        _draw(lab, best, X, y)
    return Outcome(
        verdict=verdict,
        reason=f"2-2-2-2 tanh training accuracy per seed {[round(a, 3) for a in accuracy]}; "
               f"logistic regression on raw inputs {raw:.3f}",
        measured={"accuracy_per_seed": accuracy, "logistic_regression": raw},
        config={"data": "xor n=400 noise=0.15", "net": "2-2-2-2 tanh",
                "optimizer": "Adam lr=0.02, batch 32", "epochs": epochs, "seeds": 5})


def _draw(lab: Context, model: nn.Sequential, X: np.ndarray, y: np.ndarray) -> None:
    import matplotlib.pyplot as plt

    lines = [np.c_[np.full(60, v), np.linspace(-0.6, 1.6, 60)] for v in np.linspace(-0.6, 1.6, 9)]
    lines += [np.c_[np.linspace(-0.6, 1.6, 60), np.full(60, v)] for v in np.linspace(-0.6, 1.6, 9)]
    point_stages = stages(model, X)
    line_stages = [stages(model, line) for line in lines]
    fig, axes = plt.subplots(1, 5, figsize=(16, 3.5))
    for k, ax in enumerate(axes):
        title, points = point_stages[k]
        for line in line_stages:
            ax.plot(*line[k][1].T, color="0.8", lw=0.6)
        ax.scatter(*points.T, c=y, cmap="coolwarm", s=6)
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    W, b = model[4].weight.data, model[4].bias.data
    w, c = W[1] - W[0], b[1] - b[0]  # boundary of the 2-class softmax: w·a + c = 0
    t = np.linspace(-1, 1, 10)
    if abs(w[1]) > 1e-9:
        axes[-1].plot(t, -(w[0] * t + c) / w[1], "k--", lw=1)
    axes[-1].set(xlim=(-1.1, 1.1), ylim=(-1.1, 1.1))
    fig.suptitle("A 2-2-2-2 tanh net on noisy XOR: the plane after each step of the forward "
                 "pass (dashed: the output layer's line)")
    lab.save(fig, "hidden_transformation")
