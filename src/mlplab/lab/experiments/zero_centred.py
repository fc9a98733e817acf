"""Claim 6: sigmoid outputs are not zero-centred, so a unit's weight gradients share a sign.

For a unit z = Σ_j w_j a_j + b fed by the previous layer's outputs a_j, the gradient is
∂J/∂w_j = δ a_j with δ = ∂J/∂z the same for every j. Sigmoid outputs are all positive,
so on one example every ∂J/∂w_j has the sign of δ: the update can only move all of the
unit's weights up together or down together, and reaching a target with mixed signs
takes a zig-zag path. tanh outputs are centred on 0 and have both signs, so the
gradients do too.
"""

from __future__ import annotations

import numpy as np

from mlplab import nn
from mlplab.autograd import tensor
from mlplab.data import moons
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_least, at_most

CLAIM = Claim(
    name="zero-centred", number=6, group="activations",
    claim="Sigmoid outputs are all positive, so on each example all incoming weight "
          "gradients of a unit share one sign (zig-zag updates); tanh, centred on 0, does "
          "not force that.",
    term="非零中心化 (not zero-centred)",
    concept="Activation functions and their derivatives",
    expected="In a 2-16-16-2 net on two moons (200 examples, one at a time), the fraction of "
             "(example, second-layer unit) pairs whose 16 incoming weight gradients all share "
             "one sign is >= 0.99 after sigmoid hidden units and <= 0.05 after tanh units.",
    formula="∂J/∂w_j = δ · a_j with a_j = σ(·) > 0  ⇒  sign(∂J/∂w_j) = sign(δ) for all j",
    quick_s=2.0, full_s=4.0)


def gradient_rows(activation: str, X: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Per-example gradients of the second Linear layer's weights, shape (n, 16, 16):
    entry [e, i, j] = ∂J_e/∂w_ij, row i holding unit i's incoming weights."""
    model = nn.Sequential(nn.Linear(2, 16, seed=seed), nn.get_activation(activation),
                          nn.Linear(16, 16, seed=seed + 1), nn.get_activation(activation),
                          nn.Linear(16, 2, seed=seed + 2))
    loss = nn.CrossEntropyLoss()
    rows = []
    for x, target in zip(X, y, strict=True):
        model.zero_grad()
        loss(model(tensor(x[None])), target[None]).backward()
        rows.append(model[2].weight.grad.copy())
    return np.stack(rows)


def same_sign_fraction(grads: np.ndarray) -> float:
    """Fraction of rows (over examples and units) whose non-zero entries share one sign."""
    positive = (grads > 0).sum(axis=-1)
    negative = (grads < 0).sum(axis=-1)
    return float(np.mean((positive == 0) | (negative == 0)))


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    n = 200 if lab.quick else 1000
    X, y = moons(n, noise=0.1, seed=seed)
    grads = {act: gradient_rows(act, X, y, seed) for act in ("sigmoid", "tanh")}
    per_example = {act: same_sign_fraction(g) for act, g in grads.items()}
    # a mini-batch sums gradients over examples whose δ differ: the constraint weakens
    batch = {act: same_sign_fraction(g[: n - n % 20].reshape(-1, 20, 16, 16).sum(axis=1))
             for act, g in grads.items()}
    verdict = all_hold([at_least(per_example["sigmoid"], 0.99),
                        at_most(per_example["tanh"], 0.05)])
    if lab.drawing:
        _draw(lab, grads)
    return Outcome(
        verdict=verdict,
        reason=f"same-sign fraction per example: sigmoid {per_example['sigmoid']:.3f}, tanh "
               f"{per_example['tanh']:.3f} (batches of 20: sigmoid {batch['sigmoid']:.3f}, "
               f"tanh {batch['tanh']:.3f})",
        measured={"same_sign_per_example": per_example, "same_sign_batch_of_20": batch},
        config={"network": "2-16-16-2", "examples": n, "data": "moons, noise 0.1"})


def _draw(lab: Context, grads: dict[str, np.ndarray]) -> None:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
    for ax, (act, g) in zip(axes, grads.items(), strict=True):
        unit = g[:, 0, :2]  # unit 0 of layer 2: gradients of its first two weights
        ax.scatter(unit[:, 0], unit[:, 1], s=8, alpha=0.6)
        ax.axhline(0, color="k", lw=0.6)
        ax.axvline(0, color="k", lw=0.6)
        ax.set(title=f"after {act}: ∂J/∂w per example", xlabel="∂J/∂w₁", ylabel="∂J/∂w₂")
    fig.suptitle("Sigmoid inputs confine a unit's gradient to two quadrants", y=1.02)
    lab.save(fig, "gradient_signs")
