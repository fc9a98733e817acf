"""Claim 9 (MNIST race): Adam trains an MLP faster than the other first-order methods
(Kingma & Ba 2015, §6.2 and Figure 2).

The same network, the same initial weights and the same mini-batches are trained with
each optimizer at its customary learning rate; only the update rule differs, so the
loss curves compare the rules. Quick mode uses a 784-100-100-10 ReLU net on 1500
images; ``--full`` is the paper's 784-1000-1000-10 ReLU net on all 60,000 images with
mini-batches of 128.
"""

from __future__ import annotations

from typing import Any

from mlplab import optim
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.experiments._mnist_nets import fit, mlp, mnist_subset
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, at_most

RACERS: dict[str, tuple[str, dict[str, Any]]] = {
    "SGD": ("sgd", {"lr": 0.01}),
    "Nesterov": ("sgd", {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    "AdaGrad": ("adagrad", {"lr": 0.01}),
    "RMSprop": ("rmsprop", {"lr": 0.001}),
    "AdaDelta": ("adadelta", {"lr": 1.0}),
    "Adam": ("adam", {"lr": 0.001}),
}
"""The racers: label → (``ml.optim`` name, its arguments)."""

CLAIM = Claim(
    name="optimizer-race", number=9, group="optimization",
    claim="Adam lowers the training loss of an MNIST MLP faster than SGD, Nesterov momentum, "
          "AdaGrad, RMSprop and AdaDelta.",
    term="优化算法 (optimization algorithms), Adam",
    concept="Gradient descent and its variants",
    expected="784-100-100-10 ReLU, 1500 MNIST images, batch 128, 5 epochs, same weights and "
             "batches: Adam's final training loss <= 1.1x the lowest of the other racers and "
             "<= 0.5x plain SGD's.",
    formula="m := β₁m + (1−β₁)g,  v := β₂v + (1−β₂)g²,  θ := θ − α m̂/(√v̂ + ε)",
    paper="Kingma & Ba 2015, Fig. 2a: Adam converges fastest (curves only)",
    quick_s=5.0, full_s=3600.0,
    known_disagreement="In quick mode (60 steps of batch 128, seed 0) Adam at α = 1e-3 ended "
                       "at training loss 0.513, behind AdaGrad (0.362, α = 1e-2) and RMSprop "
                       "(0.372, α = 1e-3) at their customary step sizes; why was not investigated. "
                       "The paper's comparison runs for many epochs (--full, not run here).")


def run(lab: Context) -> Outcome:
    n_train, epochs, width = (1500, 5, 100) if lab.quick else (60000, 20, 1000)
    data = mnist_subset(n_train, 1000, seed=int(lab.rng(0).integers(1 << 30)))
    curves = {}
    for label, (name, kwargs) in RACERS.items():
        model = mlp((784, width, width, 10), "relu")
        optimizer = optim.get_optimizer(name, model.parameters(), **kwargs)
        curves[label] = fit(model, data, epochs, lab.seed, optimizer=optimizer,
                            batch_size=128, validate=False)["loss"]
    final = {label: c[-1] for label, c in curves.items()}
    best_other = min(v for k, v in final.items() if k != "Adam")
    verdict = all_hold([at_most(final["Adam"], 1.1 * best_other),
                        at_most(final["Adam"], 0.5 * final["SGD"])])
    if lab.drawing:
        from mlplab.viz import plot_curves

        lab.save(plot_curves(curves, ylabel="training loss", logy=True, title=(
            f"784-{width}-{width}-10 ReLU on {n_train} MNIST images: same weights and "
            "batches")), "optimizer_race")
    return Outcome(
        verdict=verdict,
        reason="final training loss: " + ", ".join(f"{k} {v:.3f}" for k, v in final.items()),
        measured={"final_training_loss": final},
        table=Findings("training loss", ("optimizer", "epoch 1", f"epoch {epochs}"), tuple(
            (k, f"{c[0]:.3f}", f"{c[-1]:.3f}") for k, c in curves.items())),
        config={"data": f"MNIST {n_train} images", "net": f"784-{width}-{width}-10 ReLU",
                "batch": 128, "epochs": epochs,
                "racers": {k: f"{n} {kw}" for k, (n, kw) in RACERS.items()}})
