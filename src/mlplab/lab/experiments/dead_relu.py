"""Claim 8: ReLU units die when the learning rate is too large or the initialization is bad.

A ReLU unit a = max(0, wᵀx + b) passes no gradient where wᵀx + b < 0. If one large step
(or a negative starting bias) pushes wᵀx + b below 0 for every input, the unit outputs
0 everywhere, its weights never receive a gradient again, and it stays dead. The run
counts, after a short training on an MNIST subset, the hidden units that output 0 on
every training image.
"""

from __future__ import annotations

import warnings

import numpy as np

from mlplab import nn, optim
from mlplab.autograd import tensor
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.mnist_subset import mnist_subset
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.train import Trainer
from mlplab.train.divergence import DivergenceError

CLAIM = Claim(
    name="dead-relu", number=8, group="activations",
    claim="Too large a learning rate, or an initialization that starts units below 0, leaves "
          "ReLU units dead: they output 0 for every input and never recover.",
    term="神经元死亡 (dead ReLU)",
    concept="Activation functions and their derivatives",
    expected="784-64-64-10 ReLU net, He init, SGD with batches of 32, 3 epochs on 500 MNIST "
             "images: the fraction of hidden units that are 0 on every training image is "
             "<= 0.1 at lr 0.01 and >= 0.5 at lr 2; with every hidden bias started at −1 it "
             "is >= 0.3 already at lr 0.01.",
    formula="a = max(0, wᵀx + b);  ∂a/∂w = x · 1[wᵀx + b > 0] = 0 for every x  ⇒  w never changes",
    quick_s=6.0, full_s=60.0)

RATES = (0.01, 0.1, 0.5, 2.0)


def relu_net(seed: int, bias: float = 0.0) -> nn.Sequential:
    """784-64-64-10 with He-normal weights and hidden biases set to ``bias``."""
    rng = np.random.default_rng(seed)
    model = nn.Sequential(nn.Linear(784, 64, seed=rng), nn.ReLU(), nn.Linear(64, 64, seed=rng),
                          nn.ReLU(), nn.Linear(64, 10, seed=rng))
    for layer in (model[0], model[2], model[4]):
        nn.init.he_normal_(layer.weight, seed=rng)
        nn.init.constant_(layer.bias, bias if layer is not model[4] else 0.0)
    return model


def dead_fraction(model: nn.Sequential, X: np.ndarray) -> float:
    """Fraction of the hidden ReLU units whose output is 0 on every row of X."""
    h, dead, units = tensor(X), 0, 0
    for layer in list(model)[:-1]:
        h = layer(h)
        if isinstance(layer, nn.ReLU):
            dead += int(np.all(h.data <= 0, axis=0).sum())
            units += h.data.shape[1]
    return dead / units


def train(model: nn.Sequential, X: np.ndarray, y: np.ndarray, lr: float, epochs: int,
          seed: int) -> float:
    """SGD for ``epochs``; the last epoch's loss (inf if training diverged)."""
    trainer = Trainer(model, "cross_entropy", optim.SGD(model.parameters(), lr=lr), verbose=0,
                      seed=seed, reinitialize=False)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the explosion warning is what we study here
            return float(trainer.fit(X, y, epochs=epochs, batch_size=32).history["loss"][-1])
    except DivergenceError:
        return float("inf")


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    n, epochs = (500, 3) if lab.quick else (5000, 10)
    X, y, _, _ = mnist_subset(n, 0, seed=seed % 1000)
    settings = [("He", 0.0, lr) for lr in RATES] + [("He, bias −1", -1.0, 0.01)]
    dead, loss, at_start = {}, {}, {}
    for name, bias, lr in settings:
        model = relu_net(seed, bias)
        key = f"{name}, lr {lr}"
        at_start[key] = dead_fraction(model, X)
        loss[key] = train(model, X, y, lr, epochs, seed)
        dead[key] = dead_fraction(model, X)
    verdict = all_hold([at_most(dead["He, lr 0.01"], 0.1), at_least(dead["He, lr 2.0"], 0.5),
                        at_least(dead["He, bias −1, lr 0.01"], 0.3)])
    if lab.drawing:
        _draw(lab, dead, at_start)
    return Outcome(
        verdict=verdict,
        reason="dead fraction after training: " + ", ".join(f"{k}: {v:.2f}"
                                                            for k, v in dead.items()),
        measured={"dead_fraction": dead, "dead_at_start": at_start, "final_loss": loss},
        config={"network": "784-64-64-10 ReLU", "images": n, "epochs": epochs,
                "batch_size": 32})


def _draw(lab: Context, dead: dict[str, float], at_start: dict[str, float]) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.8))
    names = list(dead)
    x = np.arange(len(names))
    ax.bar(x - 0.2, [at_start[k] for k in names], 0.4, label="at initialization")
    ax.bar(x + 0.2, [dead[k] for k in names], 0.4, label="after training")
    ax.set_xticks(x, [k.replace(", lr", "\nlr") for k in names], fontsize=8)
    ax.set(ylabel="fraction of dead hidden units", ylim=(0, 1.05),
           title="Dead ReLUs versus learning rate and initialization")
    ax.legend(fontsize=8)
    lab.save(fig, "dead_units")
