"""Claim 11: the learning rate decides crawl, convergence or divergence; decay calms the end.

Gradient descent w ← w − α ∇J(w): a tiny α moves almost nowhere in a fixed number of
steps; a large α overshoots the valley floor, so J rises again (oscillation) or grows
without bound (divergence). With mini-batches, a constant α keeps the iterates
bouncing around the minimum; decaying α (inverse time α₀ / (1 + rate · epoch), as the
course writes it, exponential α₀ · rate^epoch, or halving on a plateau) shrinks the
bounce. Schedules come from ``mlplab.optim.schedules``.
"""

from __future__ import annotations

import warnings

import numpy as np

from mlplab import nn, optim
from mlplab.data import moons
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_least, at_most, in_k_of_n
from mlplab.train import Trainer
from mlplab.train.callbacks import Callback, ReduceLROnPlateau
from mlplab.train.divergence import DivergenceError

CLAIM = Claim(
    name="learning-rate", number=11, group="optimization",
    claim="Too small a learning rate crawls, too large a one oscillates or diverges; "
          "decaying it (inverse time per epoch, exponential, on plateau) calms the end of "
          "mini-batch training.",
    term="学习率 (learning rate) and 学习率衰减 (learning-rate decay)",
    concept="Learning-rate decay",
    expected="2-32-2 tanh net on 400 two-moons points, 100 full-batch SGD steps per α in "
             "0.003, 0.03, 0.3, 3, 30: α = 0.003 lowers the loss by < 10 % of its start; "
             "the best α is neither end; α = 30 ends >= 2x the best loss (or diverges). "
             "Mini-batch SGD (batch 16, α₀ = 1, 30 epochs): the std of the batch losses "
             "over the last 5 epochs is lower than constant α's for each decay, in >= 2 "
             "of 3 seeds.",
    formula="α = α₀ / (1 + decay_rate · epoch);  α = α₀ · 0.9^epoch;  plateau: α ← α / 2",
    quick_s=10.0, full_s=10.0,
    known_disagreement="The crawl margin was set too strict before the first run: in 100 "
                       "full-batch steps α = 0.003 removed 22 % of the starting loss (seed 0), "
                       "more than the stated 10 %, though far less than the best α's 82 %. "
                       "The margin is kept as declared, so this part reads as a fail; the "
                       "oscillation/divergence and decay parts hold.")

RATES = (0.003, 0.03, 0.3, 3.0, 30.0)


class BatchLosses(Callback):
    """Keeps every mini-batch's loss, in order."""

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.losses: list[float] = []

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.losses.append(float((logs or {})["loss"]))


def _fit(X: np.ndarray, y: np.ndarray, lr: object, epochs: int, batch_size: int | None,
         seed: int, callbacks: tuple = ()) -> list[float]:
    model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 2))
    losses = BatchLosses()
    trainer = Trainer(model, "cross_entropy", optim.SGD(model.parameters(), lr=lr),
                      callbacks=(losses, *callbacks), seed=seed, verbose=0)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # loss explosions are the point of the sweep
            trainer.fit(X, y, epochs=epochs, batch_size=batch_size)
    except DivergenceError:
        losses.losses.append(float("inf"))
    return losses.losses


def _decays(X: np.ndarray, y: np.ndarray, seed: int) -> dict[str, list[float]]:
    steps = int(np.ceil(len(X) / 16))
    schedules = {
        "constant": (1.0, ()),
        "inverse time": (optim.schedules.InverseTimeDecay(1.0, steps, 1.0, staircase=True), ()),
        "exponential": (optim.schedules.ExponentialDecay(1.0, steps, 0.9, staircase=True), ()),
        "plateau": (1.0, (ReduceLROnPlateau("loss", factor=0.5, patience=2),)),
    }
    return {name: _fit(X, y, lr, 30, 16, seed, extra) for name, (lr, extra) in schedules.items()}


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    X, y = moons(400, noise=0.2, seed=seed)
    sweep = {lr: _fit(X, y, lr, 100, None, seed) for lr in RATES}
    final = {lr: curve[-1] for lr, curve in sweep.items()}
    best = min(final, key=final.get)
    start = sweep[RATES[0]][0]
    crawl = (start - final[RATES[0]]) / start
    decays = [_decays(X, y, seed + k) for k in range(3)]
    jitter = [{k: float(np.std(v[-5 * 25:])) for k, v in d.items()} for d in decays]
    calmer = {k: in_k_of_n([j[k] < j["constant"] for j in jitter], 2)
              for k in ("inverse time", "exponential", "plateau")}
    verdict = all_hold([at_most(crawl, 0.1), "pass" if best not in (RATES[0], RATES[-1])
                        else "fail", at_least(final[RATES[-1]], 2 * final[best]),
                        *calmer.values()])
    if lab.drawing:
        _draw(lab, sweep, decays[0])
    return Outcome(
        verdict=verdict,
        reason="final full-batch loss by α: " + ", ".join(f"{lr:g}: {v:.3g}"
                                                           for lr, v in final.items())
               + f"; α = 0.003 removed {crawl:.1%} of the loss; late batch-loss std (first seed): "
               + ", ".join(f"{k} {v:.3f}" for k, v in jitter[0].items()),
        measured={"final_loss": {str(k): v for k, v in final.items()}, "best_lr": best,
                  "crawl_fraction": crawl, "late_batch_loss_std": jitter,
                  "decay_verdicts": calmer},
        config={"data": "moons(400, noise 0.2)", "network": "2-32-2 tanh", "sweep_steps": 100,
                "decay": "batch 16, α₀ = 1, 30 epochs"})


def _draw(lab: Context, sweep: dict[float, list[float]], decays: dict[str, list]) -> None:
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for lr, curve in sweep.items():
        left.plot(np.where(np.isfinite(curve), curve, np.nan), label=f"α = {lr:g}")
    left.set(yscale="log", xlabel="full-batch step", ylabel="training loss",
             title="Learning-rate sweep")
    left.legend(fontsize=8)
    for name, curve in decays.items():
        smooth = np.convolve(curve, np.ones(25) / 25, mode="valid")
        right.plot(smooth, label=name, lw=1)
    right.set(yscale="log", xlabel="mini-batch step", ylabel="batch loss (25-step mean)",
              title="Decay schedules, α₀ = 1, batches of 16")
    right.legend(fontsize=8)
    fig.tight_layout()
    lab.save(fig, "learning_rate")
