"""Claim 24: learning curves over the training-set size separate variance from bias.

Train the same model on m = 100 … 2000 examples and measure training and dev error.
With few examples the net memorises them: training error ≈ 0, dev error high, a wide
gap: high variance (方差), cured by more data or regularization. As m grows the gap
closes. A model too simple for the task (softmax regression, no hidden layer) has a
small gap but a training error that stays high however much data it sees: high bias
(偏差), which more data does not cure; a bigger model does.
"""

from __future__ import annotations

import numpy as np

from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments._mnist_nets import fit, mlp, mnist_subset
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, at_least, at_most

CLAIM = Claim(
    name="bias-variance", number=24, group="generalization",
    claim="More training data shrinks the train/dev gap of a flexible model (variance), "
          "but not the training error of a too-simple one (bias).",
    term="偏差与方差 (bias and variance), 学习曲线 (learning curves)",
    concept="Train/dev/test sets, bias and variance",
    expected="MNIST, m = 100, 300, 1000, 2000 training images, 1000 dev images, Adam, 10 "
             "epochs: the 784-100-10 ReLU net's train-dev gap at m = 2000 is <= 0.5x its gap "
             "at m = 100 and its dev error drops by >= 0.05; softmax regression's training "
             "error at m = 2000 is >= 2x the MLP's (bias).",
    formula="dev error = bias (training error) + variance (dev − training error)",
    quick_s=3.0, full_s=120.0)

SIZES = (100, 300, 1000, 2000)


def _errors(sizes: tuple[int, ...], hidden: tuple[int, ...], n_dev: int, seed: int,
            data_seed: int) -> dict[int, tuple[float, float]]:
    X, y, Xd, yd = mnist_subset(max(sizes), n_dev, seed=data_seed)
    errors = {}
    for m in sizes:
        model = mlp((784, *hidden, 10), "relu")
        history = fit(model, (X[:m], y[:m], Xd, yd), 10, seed,
                      batch_size=min(64, m))
        model.eval()
        errors[m] = (1 - float(np.mean(model(X[:m]).data.argmax(1) == y[:m])),
                     1 - history["val_accuracy"][-1])
    return errors


def run(lab: Context) -> Outcome:
    sizes = SIZES if lab.quick else (*SIZES, 10000, 60000)
    data_seed = int(lab.rng(0).integers(1 << 30))
    curves = {"MLP 784-100-10": _errors(sizes, (100,), 1000, lab.seed, data_seed),
              "softmax regression": _errors(sizes, (), 1000, lab.seed, data_seed)}
    mlp_errors, linear = curves["MLP 784-100-10"], curves["softmax regression"]
    gap = {m: dev - train for m, (train, dev) in mlp_errors.items()}
    small, big = sizes[0], 2000
    verdict = all_hold([at_most(gap[big], 0.5 * gap[small]),
                        at_least(mlp_errors[small][1] - mlp_errors[big][1], 0.05),
                        at_least(linear[big][0], 2 * mlp_errors[big][0])])
    if lab.drawing:
        _draw(lab, curves)
    rows = tuple((label, str(m), f"{t:.3f}", f"{d:.3f}", f"{d - t:.3f}")
                 for label, c in curves.items() for m, (t, d) in c.items())
    return Outcome(
        verdict=verdict,
        reason=f"MLP gap {gap[small]:.3f} at m={small} → {gap[big]:.3f} at m={big}; dev error "
               f"{mlp_errors[small][1]:.3f} → {mlp_errors[big][1]:.3f}; training error at "
               f"m={big}: softmax regression {linear[big][0]:.3f} vs MLP {mlp_errors[big][0]:.3f}",
        measured={label: {str(m): {"train_error": t, "dev_error": d} for m, (t, d) in c.items()}
                  for label, c in curves.items()},
        table=Findings("errors by training-set size", ("model", "m", "train error",
                                                       "dev error", "gap"), rows),
        config={"data": "MNIST subsets, 1000 dev images", "optimizer": "Adam lr=1e-3",
                "epochs": 10, "sizes": list(sizes)})


def _draw(lab: Context, curves: dict) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4))
    for (label, c), color in zip(curves.items(), ("C0", "C1"), strict=False):
        m = list(c)
        ax.plot(m, [c[k][0] for k in m], "o--", color=color, label=f"{label}: train")
        ax.plot(m, [c[k][1] for k in m], "o-", color=color, label=f"{label}: dev")
    ax.set(xscale="log", xlabel="training examples m", ylabel="error",
           title="Learning curves: variance (gap) shrinks with m, bias does not")
    ax.legend(fontsize=8)
    lab.save(fig, "learning_curves")
