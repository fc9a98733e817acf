"""Claim 15: batch normalization speeds up training and tolerates larger learning rates
and worse initializations (Ioffe & Szegedy 2015, Figure 1 setup on an MNIST subset).

Batch normalization standardizes each hidden unit's input over the mini-batch,
ẑ = (z − μ_B)/√(σ²_B + ε), then rescales it, z̃ = γ ẑ + β. For a sigmoid network the
inputs of each unit then stay in the unsaturated middle of the sigmoid whatever the
scale of the weights, so gradients do not vanish and a larger step is safe. The run
trains the paper's 784-100-100-100-10 sigmoid net from a small Gaussian
initialization N(0, 0.01²) with plain SGD, with and without BN after every hidden
Linear layer, at a moderate and a 10× larger learning rate.
"""

from __future__ import annotations

import functools

import numpy as np

from mlplab import nn, optim
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments._mnist_nets import fit, mlp, mnist_subset
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, at_least

CLAIM = Claim(
    name="batch-norm", number=15, group="normalization",
    claim="Batch normalization lets a deep sigmoid network train in far fewer steps, and "
          "keeps it trainable at larger learning rates and from a poor initialization.",
    term="批归一化 (batch normalization)",
    concept="Normalization",
    expected="784-100-100-100-10 sigmoid, init N(0, 0.01²), SGD, batch 60, 2000 MNIST "
             "images: at lr 0.1 the BN net reaches 0.80 dev accuracy in >= 3x fewer epochs "
             "than the plain net (plain capped at its last epoch + 1 if never); at lr 1.0 the "
             "BN net's final dev accuracy is >= 0.10 above the plain net's.",
    formula="ẑ = (z − μ_B)/√(σ²_B + ε),  z̃ = γ ẑ + β,  a = σ(z̃)",
    paper="Ioffe & Szegedy 2015, Fig. 1: BN trains faster and reaches a higher test "
          "accuracy (curves only, no single number)",
    quick_s=6.0, full_s=600.0,
    known_disagreement="In quick mode (seed 0) the BN net reached 0.80 dev accuracy in "
                       "epoch 4 while the plain net never left chance (counted as 9): 2.25x, "
                       "below the 3x margin written before the run; an earlier draw of the "
                       "2000 images gave epoch 2. At lr 1.0 BN ended at 0.805 against 0.103.")


def _epochs_to(curve: list[float], target: float) -> int:
    hits = np.flatnonzero(np.array(curve) >= target)
    return int(hits[0]) + 1 if len(hits) else len(curve) + 1


def run(lab: Context) -> Outcome:
    n_train, n_dev, epochs = (2000, 1000, 8) if lab.quick else (60000, 10000, 50)
    data = mnist_subset(n_train, n_dev, seed=int(lab.rng(0).integers(1 << 30)))
    init = functools.partial(nn.init.normal_, std=0.01)
    curves = {}
    for lr in (0.1, 1.0):
        for label, between in (("plain", None), ("BN", nn.BatchNorm1d)):
            model = mlp((784, 100, 100, 100, 10), "sigmoid", between=between, init=init)
            history = fit(model, data, epochs, lab.seed, batch_size=60,
                          optimizer=optim.SGD(model.parameters(), lr=lr))
            curves[f"{label}, lr {lr}"] = history["val_accuracy"]
    speed = {k: _epochs_to(curves[f"{k}, lr 0.1"], 0.80) for k in ("plain", "BN")}
    high_lr_gain = curves["BN, lr 1.0"][-1] - curves["plain, lr 1.0"][-1]
    verdict = all_hold([at_least(speed["plain"] / speed["BN"], 3.0),
                        at_least(high_lr_gain, 0.10)])
    if lab.drawing:
        _draw(lab, curves)
    return Outcome(
        verdict=verdict,
        reason=f"epochs to 0.80 dev accuracy at lr 0.1: plain {speed['plain']}, BN "
               f"{speed['BN']}; final dev accuracy at lr 1.0: BN {curves['BN, lr 1.0'][-1]:.3f}"
               f" vs plain {curves['plain, lr 1.0'][-1]:.3f}",
        measured={"epochs_to_0.80": speed, "final_dev_accuracy": {
            k: v[-1] for k, v in curves.items()}},
        table=Findings("dev accuracy per epoch", ("run", "first", "last"), tuple(
            (k, f"{v[0]:.3f}", f"{v[-1]:.3f}") for k, v in curves.items())),
        config={"data": f"MNIST {n_train} train / {n_dev} dev", "net": "784-100-100-100-10 "
                "sigmoid", "init": "N(0, 0.01²)", "optimizer": "SGD, batch 60",
                "epochs": epochs})


def _draw(lab: Context, curves: dict) -> None:
    from mlplab.viz import plot_curves

    fig = plot_curves(curves, ylabel="dev accuracy",
                      title="Sigmoid 784-100-100-100-10, N(0, 0.01²) init: with and without BN")
    lab.save(fig, "batch_norm")
