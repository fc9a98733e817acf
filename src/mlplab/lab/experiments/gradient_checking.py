"""Claim 18: gradient checking on the whole parameter vector, and a planted bug caught.

Flatten every W^[l], b^[l] into one vector θ; for each θᵢ the two-sided difference

    dθ_approx[i] = (J(θ + ε eᵢ) − J(θ − ε eᵢ)) / 2ε          (ε = 1e-7)

is compared with backprop's dθ by the relative error

    ‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂)

read as: < 1e-7 great, ~1e-5 look again, > 1e-3 almost surely a bug. The same error
on each layer's slice of θ says which layer is wrong. The planted bug is a tanh whose
VJP uses 1 − a instead of 1 − a²; it sits after the first layer, so only that layer's
gradient is wrong (the layers above it see the correct forward values).
"""

from __future__ import annotations

import uuid

import numpy as np

import mlplab as ml
from mlplab import nn
from mlplab.autograd import REGISTRY, Primitive
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_least, at_most

EPS = 1e-7

CLAIM = Claim(
    name="gradient-checking", number=18, group="gradients",
    claim="Comparing backprop with two-sided differences on the whole flattened parameter "
          "vector gives a relative error below 1e-7 when the gradient is right and above "
          "1e-3 when a VJP is wrong; per layer it points at the wrong layer.",
    term="梯度检验 (gradient checking)",
    concept="Gradient checking",
    expected="correct 4-8-6-3 tanh net (float64, eps = 1e-7): whole-vector relative error "
             "< 1e-7 and every layer < 1e-7; with the planted tanh VJP bug after layer 1: "
             "whole-vector error > 1e-3, layer 1 > 1e-3 while layers 2 and 3 stay < 1e-7; "
             "ml.gradcheck reads the planted primitive as 'wrong'.",
    formula="‖dθ_approx − dθ‖₂ / (‖dθ_approx‖₂ + ‖dθ‖₂), dθ_approx = (J(θ+ε) − J(θ−ε))/2ε",
    quick_s=2.0, full_s=2.0)


def relative_error(numeric: np.ndarray, analytic: np.ndarray) -> float:
    """The course's relative error of two gradient vectors (0 when both are 0)."""
    denominator = np.linalg.norm(numeric) + np.linalg.norm(analytic)
    return float(np.linalg.norm(numeric - analytic) / denominator) if denominator else 0.0


def _net(seed: int, activation: nn.Module) -> nn.Sequential:
    return nn.Sequential(nn.Linear(4, 8, seed=seed), activation, nn.Linear(8, 6, seed=seed + 1),
                         nn.Tanh(), nn.Linear(6, 3, seed=seed + 2)).double()


def flat_check(model: nn.Sequential, X: np.ndarray, y: np.ndarray) -> dict[str, object]:
    """Backprop vs central differences over the flattened parameter vector θ."""
    params = list(model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    model.zero_grad()
    loss_fn(model(X), y).backward()
    analytic = np.concatenate([p.grad.ravel() for p in params])
    theta = np.concatenate([p.data.ravel() for p in params])
    numeric = np.empty_like(theta)

    def loss_at(vector: np.ndarray) -> float:
        start = 0
        for p in params:
            p.data[...] = vector[start:start + p.data.size].reshape(p.data.shape)
            start += p.data.size
        with ml.no_grad():
            return float(loss_fn(model(X), y).data)

    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = EPS
        numeric[i] = (loss_at(theta + step) - loss_at(theta - step)) / (2 * EPS)
    loss_at(theta)
    layers, start = [], 0
    for layer in (m for m in model if isinstance(m, nn.Linear)):
        size = layer.weight.data.size + layer.bias.data.size
        layers.append(relative_error(numeric[start:start + size], analytic[start:start + size]))
        start += size
    return {"whole": relative_error(numeric, analytic), "layers": layers, "size": theta.size}


class _BuggyTanh(nn.Module):
    """tanh with a wrong VJP: g·(1 − a) where the rule is g·(1 − a²)."""

    def __init__(self, primitive: Primitive) -> None:
        super().__init__()
        self.primitive = primitive

    def forward(self, x):
        return self.primitive(x)


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    X = lab.rng(1).standard_normal((16, 4))
    y = lab.rng(2).integers(0, 3, size=16)
    correct = flat_check(_net(seed, nn.Tanh()), X, y)
    name = f"lab_buggy_tanh_{uuid.uuid4().hex[:8]}"
    buggy_tanh = Primitive(name, forward=np.tanh, vjps=(lambda g, out, x: g * (1 - out),))
    try:
        buggy = flat_check(_net(seed, _BuggyTanh(buggy_tanh)), X, y)
        z = ml.tensor(lab.rng(3).standard_normal(6), dtype="float64", requires_grad=True)
        reading = ml.gradcheck(lambda t: buggy_tanh(t).sum(), z).inputs[0].verdict
    finally:
        REGISTRY.pop(name, None)
    verdict = all_hold([at_most(correct["whole"], 1e-7), at_most(max(correct["layers"]), 1e-7),
                        at_least(buggy["whole"], 1e-3), at_least(buggy["layers"][0], 1e-3),
                        at_most(max(buggy["layers"][1:]), 1e-7),
                        "pass" if reading == "wrong" else "fail"])
    if lab.drawing:
        _draw(lab, correct, buggy)
    return Outcome(
        verdict=verdict,
        reason=f"correct net: whole-vector error {correct['whole']:.1e} (layers "
               + ", ".join(f"{e:.0e}" for e in correct["layers"])
               + f"); planted bug: {buggy['whole']:.1e} (layers "
               + ", ".join(f"{e:.0e}" for e in buggy["layers"])
               + f"); ml.gradcheck reads the buggy primitive as '{reading}'",
        measured={"correct": correct, "planted_bug": buggy, "gradcheck_reading": reading},
        config={"net": "4-8-6-3 tanh, float64, cross-entropy on 16 random examples",
                "eps": EPS, "parameters": correct["size"]})


def _draw(lab: Context, correct: dict, buggy: dict) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    labels = ["whole θ"] + [f"layer {i + 1}" for i in range(len(correct["layers"]))]
    xs = np.arange(len(labels))
    for offset, (name, run_) in zip((-0.2, 0.2), (("correct", correct), ("planted bug", buggy)),
                                    strict=True):
        values = [max(v, 1e-16) for v in [run_["whole"], *run_["layers"]]]
        ax.bar(xs + offset, values, width=0.4, label=name)
    for level, text in ((1e-7, "1e-7 great"), (1e-5, "1e-5 look again"), (1e-3, "1e-3 bug")):
        ax.axhline(level, color="0.4", ls=":", lw=1)
        ax.text(len(labels) - 0.5, level, text, fontsize=8, va="bottom", ha="right")
    ax.set(yscale="log", xticks=xs, xticklabels=labels, ylabel="relative error",
           title="gradient check: backprop vs two-sided differences")
    ax.legend(loc="center left", fontsize=8)
    lab.save(fig, "gradient_check")
