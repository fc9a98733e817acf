"""Claim 2: stacked linear layers collapse to one linear map; the boundary stays a line.

Without an activation, W₃(W₂(W₁x + b₁) + b₂) + b₃ = W x + b with W = W₃W₂W₁ and
b = W₃(W₂b₁ + b₂) + b₃: depth adds parameters but no expressive power. The run trains
a 2-16-16-1 stack without activations on the two-moons set, multiplies out its
weights, and compares it with logistic regression (one Linear) and with the same
stack given tanh activations.
"""

from __future__ import annotations

import numpy as np

from mlplab import nn, optim
from mlplab.data import moons
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.train import Trainer

CLAIM = Claim(
    name="linear-collapse", number=2, group="neurons",
    claim="Stacked linear layers without activations are one linear map: the product of "
          "their weights; the decision boundary stays a straight line.",
    term="去线性化 (why nonlinear activations)",
    concept="Multilayer perceptron and the forward pass",
    expected="The trained 2-16-16-1 linear stack equals x W^T + b with W = W3 W2 W1 to "
             "within 1e-9 (max abs difference over the data); its training accuracy is "
             "within 0.03 of logistic regression's; the same stack with tanh beats it by "
             ">= 0.05 accuracy on two moons.",
    formula="W3(W2(W1 x + b1) + b2) + b3 = (W3 W2 W1) x + (W3 W2 b1 + W3 b2 + b3)",
    quick_s=2.0, full_s=2.0)


def _stack(activation: type | None, seed: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate([(2, 16), (16, 16), (16, 1)]):
        layers.append(nn.Linear(n_in, n_out, seed=seed + i))
        if activation is not None and n_out != 1:
            layers.append(activation())
    return nn.Sequential(*layers).double()


def _train(model: nn.Sequential, X: np.ndarray, y: np.ndarray, epochs: int) -> float:
    trainer = Trainer(model, "bce_with_logits", optim.Adam(model.parameters(), lr=0.02),
                      verbose=0)
    trainer.fit(X, y.astype(float), epochs=epochs, batch_size=None)
    return float(np.mean((model(X).data.ravel() > 0) == y))


def collapse(stack: nn.Sequential) -> tuple[np.ndarray, np.ndarray]:
    """(W, b) of the single linear map a stack of Linear layers computes."""
    W, b = np.eye(stack[0].weight.data.shape[1]), np.zeros(stack[0].weight.data.shape[1])
    for layer in stack:
        W, b = layer.weight.data @ W, layer.weight.data @ b + layer.bias.data
    return W, b


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    X, y = moons(400, noise=0.1, seed=seed)
    X = X.astype(np.float64)
    epochs = 300 if lab.quick else 1000
    models = {"linear stack": _stack(None, seed), "logistic regression": nn.Sequential(
        nn.Linear(2, 1, seed=seed)).double(), "tanh stack": _stack(nn.Tanh, seed)}
    accuracy = {name: _train(model, X, y, epochs) for name, model in models.items()}
    W, b = collapse(models["linear stack"])
    error = float(np.abs(models["linear stack"](X).data - (X @ W.T + b)).max())
    gap_linear = abs(accuracy["linear stack"] - accuracy["logistic regression"])
    gain_tanh = accuracy["tanh stack"] - accuracy["linear stack"]
    verdict = all_hold([at_most(error, 1e-9), at_most(gap_linear, 0.03),
                        at_least(gain_tanh, 0.05)])
    if lab.drawing:
        _draw(lab, models, accuracy, X, y)
    return Outcome(
        verdict=verdict,
        reason=f"collapse error {error:.1e}; accuracy linear stack {accuracy['linear stack']:.3f}"
               f" vs logistic regression {accuracy['logistic regression']:.3f}, tanh stack "
               f"{accuracy['tanh stack']:.3f}",
        measured={"collapse_max_abs_error": error, "accuracy": accuracy,
                  "collapsed_W": W.ravel().round(4).tolist(), "collapsed_b": float(b[0])},
        config={"data": "moons n=400 noise=0.1", "layers": "2-16-16-1",
                "optimizer": "Adam lr=0.02, full batch", "epochs": epochs})


def _draw(lab: Context, models: dict, accuracy: dict, X: np.ndarray, y: np.ndarray) -> None:
    from mlplab.viz import plot_decision_boundary

    for name in ("linear stack", "tanh stack"):
        model = models[name]
        fig = plot_decision_boundary(
            lambda grid, m=model: 1 / (1 + np.exp(-m(grid.astype(np.float64)).data)), X, y,
            resolution=120,
            title=f"2-16-16-1 {name}: train accuracy {accuracy[name]:.2f}")
        lab.save(fig, "boundary_" + name.replace(" ", "_"))
