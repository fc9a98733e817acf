"""Claim 13 (strength and L1): sweeping λ walks from overfitting through "just right"
to high bias; an L1 penalty makes weights exactly zero.

With L2 weight decay, W := W − α(dW + λW): a tiny λ leaves the overfitting net alone
(high variance), a moderate one trades a little training accuracy for dev accuracy,
and a huge one shrinks every weight toward 0 until the net underfits (high bias: train
and dev accuracy both low). The L1 penalty λ Σ|W| has the subgradient λ sign(W), which
makes weights hover around 0 but rarely lands on it exactly; its proximal step,
soft-thresholding after each gradient step,

    W := sign(W) · max(|W| − αλ, 0),

sets every weight whose magnitude falls below αλ to exactly 0. The run applies that
step (an exact-zero proximal step, not the plain subgradient) and counts exact zeros.
"""

from __future__ import annotations

import numpy as np

from mlplab import optim
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments._mnist_nets import fit, mlp, mnist_subset
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, at_least
from mlplab.train.callbacks.base import Callback

CLAIM = Claim(
    name="regularization-strength", number=13, group="regularization",
    claim="Increasing the L2 strength λ moves a net from overfitting to 'just right' to "
          "high bias; an L1 proximal step gives exactly-zero (sparse) weights.",
    term="正则化系数 λ (regularization strength), L1 稀疏 (sparsity)",
    concept="Regularization",
    expected="784-64-10 ReLU, 500 MNIST images, SGD momentum 0.9 lr 0.05, 15 epochs, "
             "weight_decay λ in {0, 1e-3, 1e-2, 1e-1, 1}: the best dev accuracy is at an inner "
             "λ and beats λ = 0 by > 0.005 (a best inner λ within 0.005: inconclusive); "
             "at λ = 1 training accuracy is >= 0.2 below λ = 0's; the L1 proximal step "
             "(λ = 1e-3) leaves >= 50 % of first-layer weights exactly 0, the plain net 0 %.",
    formula="L2: W := W − α(dW + λW);  L1 proximal: W := sign(W)·max(|W| − αλ, 0)",
    quick_s=4.0, full_s=60.0,
    known_disagreement="With λ = 1e-3 and α = 0.05 the proximal step shrinks each weight by "
                       "only 5e-5 per step; in quick mode (seed 0, 120 steps) it left 8.8 % "
                       "of the first-layer weights exactly 0 (the plain net: 0 %), short of "
                       "the 50 % margin written before the run. Weights do become exactly "
                       "zero, as the course says, but fewer than the margin asked for. The "
                       "best dev accuracy of the λ sweep was at λ = 0 (0.857; inconclusive).")

LAMBDAS = (0.0, 1e-3, 1e-2, 1e-1, 1.0)


class SoftThreshold(Callback):
    """After every step, W := sign(W)·max(|W| − αλ, 0) on the weight matrices."""

    def __init__(self, lam: float, lr: float) -> None:
        self.shrink = lam * lr

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        for name, p in self.trainer.model.named_parameters():
            if name.endswith("weight"):
                p.data[:] = np.sign(p.data) * np.maximum(np.abs(p.data) - self.shrink, 0)


def _train(data: tuple, seed: int, weight_decay: float = 0.0, l1: float = 0.0) -> tuple:
    model = mlp((784, 64, 10), "relu")
    sgd = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=weight_decay)
    callbacks = [SoftThreshold(l1, 0.05)] if l1 else []
    history = fit(model, data, 15, seed, optimizer=sgd, callbacks=callbacks)
    model.eval()
    X, y = data[0], data[1]
    train = float(np.mean(model(X).data.argmax(1) == y))
    zeros = float(np.mean(model[0].weight.data == 0))
    return train, history["val_accuracy"][-1], zeros


def run(lab: Context) -> Outcome:
    data = mnist_subset(500 if lab.quick else 5000, 1000,
                        seed=int(lab.rng(0).integers(1 << 30)))
    sweep = {lam: _train(data, lab.seed, weight_decay=lam) for lam in LAMBDAS}
    l1 = _train(data, lab.seed, l1=1e-3)
    dev = {lam: r[1] for lam, r in sweep.items()}
    best = max(dev, key=dev.get)
    interior = ("pass" if best not in (LAMBDAS[0], LAMBDAS[-1])
                and dev[best] > dev[LAMBDAS[0]] + 0.005
                else "inconclusive" if best != LAMBDAS[-1] else "fail")
    verdict = all_hold([interior, at_least(sweep[0.0][0] - sweep[1.0][0], 0.2),
                        at_least(l1[2], 0.5), at_least(-sweep[0.0][2], 0.0)])
    if lab.drawing:
        _draw(lab, sweep)
    return Outcome(
        verdict=verdict,
        reason=f"dev accuracy by λ {[round(v, 3) for v in dev.values()]} (best λ = {best}); "
               f"train accuracy λ=0 {sweep[0.0][0]:.3f} vs λ=1 {sweep[1.0][0]:.3f}; exact "
               f"zeros: L1 proximal {l1[2]:.1%}, plain {sweep[0.0][2]:.1%}",
        measured={"sweep": {str(k): {"train": t, "dev": d} for k, (t, d, _) in sweep.items()},
                  "l1_zero_fraction": l1[2], "plain_zero_fraction": sweep[0.0][2],
                  "l1_accuracy": {"train": l1[0], "dev": l1[1]}},
        table=Findings("L2 sweep", ("λ", "train", "dev"), tuple(
            (str(k), f"{t:.3f}", f"{d:.3f}") for k, (t, d, _) in sweep.items())),
        config={"data": "MNIST 500 train / 1000 dev", "net": "784-64-10 ReLU",
                "optimizer": "SGD momentum 0.9 lr 0.05", "epochs": 15, "l1_lambda": 1e-3})


def _draw(lab: Context, sweep: dict) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.8))
    x = np.arange(len(sweep))
    ax.plot(x, [r[0] for r in sweep.values()], "o-", label="train")
    ax.plot(x, [r[1] for r in sweep.values()], "o-", label="dev")
    ax.set_xticks(x, [str(k) for k in sweep])
    ax.set(xlabel="weight decay λ", ylabel="accuracy",
           title="λ sweep: overfit → just right → high bias")
    ax.legend()
    lab.save(fig, "lambda_sweep")
