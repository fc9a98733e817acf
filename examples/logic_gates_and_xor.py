"""Logic gates with single neurons, the perceptron rule, and why XOR needs a hidden layer.

Reproduces the notes' first claims with mlplab:

1. one sigmoid neuron with w₁ = w₂ = 20, b = −10 computes OR (and AND, NOT likewise);
2. Rosenblatt's rule w := w + η (y − ŷ) x learns AND and OR, but never XOR;
3. no single-layer model fits XOR (at best 3 of 4 points), while a 2-2-1 network does.

Run:  python examples/logic_gates_and_xor.py
"""

from __future__ import annotations

import numpy as np

import mlplab as ml
from mlplab import nn

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
GATES = {"AND": np.array([0, 0, 0, 1]), "OR": np.array([0, 1, 1, 1]),
         "XOR": np.array([0, 1, 1, 0])}


def neuron(w, b) -> nn.Sequential:
    """σ(w·x + b) as a Linear layer with fixed weights followed by a Sigmoid."""
    layer = nn.Linear(len(w), 1, dtype="float64")
    layer.weight.data[...] = [w]
    layer.bias.data[...] = b
    return nn.Sequential(layer, nn.Sigmoid())


def fit(model: nn.Module, y: np.ndarray, steps: int = 1500, lr: float = 0.5) -> float:
    """Full-batch gradient descent on binary cross-entropy; returns the accuracy."""
    optimizer = ml.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.BCEWithLogitsLoss()
    target = y.reshape(-1, 1).astype(float)
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(X), target).backward()
        optimizer.step()
    return float(np.mean((model(X).data.ravel() > 0) == y))


def main() -> None:
    print("1. Single neurons (outputs rounded to 4 decimals)")
    for name, (w, b, inputs) in {"OR  σ(20x₁ + 20x₂ − 10)": ((20, 20), -10, X),
                                 "AND σ(20x₁ + 20x₂ − 30)": ((20, 20), -30, X),
                                 "NOT σ(−20x + 10)": ((-20,), 10, X[:2, 1:])}.items():
        out = neuron(w, b)(inputs).data.ravel()
        print(f"   {name}: {np.round(out, 4).tolist()}")

    print("\n2. The perceptron rule")
    for gate, y in GATES.items():
        p = nn.Perceptron(max_epochs=100, shuffle=True, seed=0).fit(X, y)
        status = f"converged after {len(p.errors_)} epochs" if p.converged_ else \
            f"no convergence in {len(p.errors_)} epochs (mistakes per epoch ≥ {min(p.errors_)})"
        print(f"   {gate}: {status}; predictions {p.predict(X).tolist()}")

    print("\n3. XOR: one layer vs a 2-2-1 network (gradient descent on cross-entropy)")
    for seed in range(3):
        single = fit(nn.Linear(2, 1, seed=seed).double(), GATES["XOR"])
        print(f"   single layer, seed {seed}: accuracy {single:.2f}")
    for seed in range(4):
        net = nn.Sequential(nn.Linear(2, 2, seed=seed), nn.Tanh(),
                            nn.Linear(2, 1, seed=seed + 100)).double()
        print(f"   2-2-1 tanh network, seed {seed}: accuracy {fit(net, GATES['XOR']):.2f}")
    print("   (some seeds end in a local minimum at 0.50: the loss surface is not convex)")
    print("\n" + nn.summary(net, (2,)))


if __name__ == "__main__":
    main()
