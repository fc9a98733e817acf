"""Claim 13: on a small MNIST subset that overfits, every regularizer narrows the
train/dev gap, and a big regularized net beats a small plain one.

A 784-128-10 ReLU net trained on 300 images memorises them (train accuracy → 1) while
dev accuracy stalls: high variance (过拟合). The run trains the same net, from the same
weights and batches, plain and with each regularizer of the course:

- L2 (weight decay): J + λ/2m Σ‖W‖², so W := (1 − αλ/m) W − α dW;
- dropout: each hidden unit kept with probability 1 − p, scaled by 1/(1 − p) (inverted
  dropout);
- Gaussian noise: N(0, σ²) added to the hidden activations during training;
- data augmentation: random shifts of ±2 pixels and rotations of ±10° (the digit
  version of the course's random crops; flips are left out because a flipped digit is
  not the same digit);
- early stopping: keep the weights of the epoch with the best dev loss.
"""

from __future__ import annotations

import numpy as np

from mlplab import nn, optim
from mlplab.data import Augmenter
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments._mnist_nets import fit, mlp, mnist_subset, weights
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, at_least, in_k_of_n
from mlplab.train.callbacks import EarlyStopping

CLAIM = Claim(
    name="regularizers", number=13, group="regularization",
    claim="On a small training set that overfits, L2, dropout, Gaussian noise, data "
          "augmentation and early stopping each shrink the train/dev accuracy gap; L2 "
          "shrinks the weights; a big regularized net beats a small plain one.",
    term="正则化 (regularization), 过拟合 (overfitting)",
    concept="Regularization",
    expected="784-128-10 ReLU net, 300 MNIST training images, 1000 dev images, Adam: the "
             "train-dev gap of at least 4 of the 5 regularizers is >= 0.02 below the plain "
             "net's gap; L2's weight RMS is <= 0.9 x the plain net's; the best regularized "
             "784-128-10 net's dev accuracy beats a plain 784-16-10 net's by >= 0.01.",
    formula="J_reg = J + λ/(2m) Σ_l ||W[l]||²_F ;  dropout: a = d ⊙ a / (1 − p), d ~ "
            "Bernoulli(1 − p)",
    quick_s=7.0, full_s=120.0,
    known_disagreement="In quick mode (seed 0: 300 images, 15 epochs) only augmentation "
                       "narrowed the train-dev gap by >= 0.02 (plain gap 0.149); L2, "
                       "dropout, noise and early stopping lowered training accuracy without "
                       "raising dev accuracy enough. L2 did shrink the weights and the best "
                       "regularized net beat the small one.")


def _variants(seed: int) -> dict:
    """label → (model, optimizer kwargs, trainer kwargs); every model starts from seed."""
    return {
        "plain": ({}, {}, {}),
        "L2 λ/m=1e-2": ({}, {"weight_decay": 1e-2}, {}),
        "dropout p=0.5": ({"dropout": 0.5}, {}, {}),
        "noise σ=1": ({"noise": 1.0}, {}, {}),
        "augmentation": ({}, {}, {"augment": Augmenter(shift=2, rotate=10, seed=seed)}),
        "early stopping": ({}, {}, {"callbacks": [EarlyStopping(
            "val_loss", patience=3, restore_best_weights=True)]}),
    }


def _net(width: int, dropout: float = 0.0, noise: float = 0.0) -> nn.Sequential:
    model = mlp((784, width, 10), "relu", dropout=dropout)
    if noise:
        model = nn.Sequential(model[0], model[1], nn.GaussianNoise(noise), model[2])
    return model


def _train(width: int, data: tuple, epochs: int, seed: int, net: dict, opt: dict,
           trainer: dict) -> dict:
    model = _net(width, **net)
    adam = optim.Adam(model.parameters(), lr=1e-3, **opt)
    history = fit(model, data, epochs, seed, optimizer=adam, validate="callbacks" in trainer,
                  **trainer)
    X, y, Xd, yd = data
    model.eval()
    train_acc = float(np.mean(model(X).data.argmax(1) == y))
    dev_acc = float(np.mean(model(Xd).data.argmax(1) == yd))
    return {"train": train_acc, "dev": dev_acc, "gap": train_acc - dev_acc,
            "weight_rms": float(np.sqrt(np.mean(weights(model) ** 2))),
            "epochs": len(history["loss"])}


def run(lab: Context) -> Outcome:
    n_train, n_dev, epochs = (300, 1000, 15) if lab.quick else (2000, 10000, 100)
    data = mnist_subset(n_train, n_dev, seed=int(lab.rng(0).integers(1 << 30)))
    seed = lab.seed
    result = {label: _train(128, data, epochs, seed, *spec)
              for label, spec in _variants(seed).items()}
    small = _train(16, data, epochs, seed, {}, {}, {})
    plain = result["plain"]
    narrower = [r["gap"] <= plain["gap"] - 0.02 for k, r in result.items() if k != "plain"]
    best_dev = max(r["dev"] for k, r in result.items() if k != "plain")
    verdict = all_hold([in_k_of_n(narrower, 4),
                        at_least(plain["weight_rms"] * 0.9, result["L2 λ/m=1e-2"]["weight_rms"]),
                        at_least(best_dev - small["dev"], 0.01)])
    rows = tuple((k, f"{r['train']:.3f}", f"{r['dev']:.3f}", f"{r['gap']:.3f}",
                  f"{r['weight_rms']:.4f}", str(r["epochs"]))
                 for k, r in {**result, "small plain 784-16-10": small}.items())
    if lab.drawing:
        _draw(lab, {**result, "small 16": small})
    return Outcome(
        verdict=verdict,
        reason=f"plain gap {plain['gap']:.3f}; {sum(narrower)} of 5 regularizers narrow it by "
               f">= 0.02; L2 weight RMS {result['L2 λ/m=1e-2']['weight_rms']:.4f} vs plain "
               f"{plain['weight_rms']:.4f}; best regularized dev {best_dev:.3f} vs small net "
               f"{small['dev']:.3f}",
        measured={"results": result, "small_net": small},
        table=Findings("final accuracies (300 training images)",
                       ("variant", "train", "dev", "gap", "weight RMS", "epochs"), rows),
        config={"data": f"MNIST {n_train} train / {n_dev} dev", "net": "784-128-10 ReLU",
                "optimizer": "Adam lr=1e-3, batch 64", "epochs": epochs})


def _draw(lab: Context, result: dict) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = list(result)
    x = np.arange(len(labels))
    ax.bar(x - 0.2, [result[k]["train"] for k in labels], 0.4, label="train")
    ax.bar(x + 0.2, [result[k]["dev"] for k in labels], 0.4, label="dev")
    ax.set_xticks(x, labels, rotation=25, ha="right")
    ax.set_ylim(0.7, 1.01)
    ax.set_ylabel("accuracy")
    ax.set_title("Regularizers on 300 MNIST images: train vs dev accuracy")
    ax.legend()
    lab.save(fig, "regularizers")
