"""Claim 26: random search beats a grid when one setting matters; α wants a log scale.

Part A (Bergstra & Bengio, 2012). Two settings, the learning rate α (it matters) and
the weight decay λ (it hardly does), nine trials each way. A 3 × 3 grid tries only
three values of α, each three times with a different λ; nine random points try nine
values of α. The best dev loss of each search is compared, seed by seed.

Part B (the right scale). With raw inputs ten times larger than standardized ones, a
ReLU network's loss surface is about a hundred times steeper, and the good α moves two
decades down (≈ 10⁻³ … 3·10⁻²); α ≥ 0.1 diverges.
Nine α drawn log-uniformly from [10⁻⁴, 1] give each decade two or three draws; nine
drawn uniformly fall below 0.03 with probability 3 % each, so they miss the good
region. Draws come from ``mlplab.tune`` spaces through Optuna's random sampler.
"""

from __future__ import annotations

import warnings

import numpy as np

from mlplab import nn, optim
from mlplab.data import moons
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, in_k_of_n
from mlplab.train import Trainer
from mlplab.train.divergence import DivergenceError

CLAIM = Claim(
    name="random-vs-grid", number=26, group="tuning",
    claim="With the same budget, random search finds a better learning rate than a grid "
          "when one of two settings matters, and sampling α on a log scale finds a better "
          "value than sampling it uniformly.",
    term="随机取值 (random values, not a grid) and 合适的尺度 (the right scale)",
    concept="Hyper-parameter search",
    expected="2-16-2 ReLU net, SGD with momentum 0.9, 30 full-batch epochs on 300 "
             "two-moons points, dev loss on 200 more; 9 trials per search. A: α in "
             "[1e-4, 10] and λ in [1e-6, 1e-2], both log scale: the best of 9 random "
             "trials is below the best of the 3 × 3 grid in >= 4 of 5 seeds. B: inputs "
             "x 10, α in [1e-4, 1]: the best of 9 log-uniform α is below the best of 9 "
             "uniform α in >= 4 of 5 seeds. (--full: 10 seeds, >= 8 of 10 each.)",
    formula="α = 10^r, r ~ U[−4, 1] (log scale) vs α ~ U[10⁻⁴, 1]",
    paper="Bergstra & Bengio (2012), Random search for hyper-parameter optimization, JMLR 13",
    quick_s=8.0, full_s=20.0)

TRIALS = 9
GRID = {"lr": {"log_uniform": [1e-4, 10.0]}, "weight_decay": {"log_uniform": [1e-6, 1e-2]}}
LOG = {"lr": {"log_uniform": [1e-4, 1.0]}}
UNIFORM = {"lr": {"uniform": [1e-4, 1.0]}}


def dev_loss(data: tuple, lr: float, weight_decay: float, seed: int) -> float:
    """Dev loss of the 2-16-2 ReLU net after 30 full-batch SGD-momentum epochs (inf if it
    diverges)."""
    (X, y), (X_dev, y_dev) = data
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    sgd = optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)
    trainer = Trainer(model, "cross_entropy", sgd, seed=seed, verbose=0)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a diverging α is one of the points of the sweep
            trainer.fit(X, y, epochs=30, batch_size=None)
            value = trainer.evaluate(X_dev, y_dev)["loss"]
    except DivergenceError:
        return float("inf")
    return float(value) if np.isfinite(value) else float("inf")


def random_points(entries: dict, n: int, seed: int) -> list[dict[str, float]]:
    """``n`` settings drawn at random from a ``mlplab.tune`` space (Optuna's sampler)."""
    import optuna

    from mlplab.tune import parse_space

    space = parse_space(entries)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed))
    points = []
    for _ in range(n):
        trial = study.ask()
        points.append(space.suggest(trial))
        study.tell(trial, 0.0)
    return points


def grid_points(entries: dict, per_axis: int) -> list[dict[str, float]]:
    """Every combination of ``per_axis`` evenly spaced values (on each setting's scale)."""
    from itertools import product

    from mlplab.tune import parse_space

    space = parse_space(entries)
    axes = [d.grid(per_axis) for d in space]
    return [dict(zip(space.names, values, strict=True)) for values in product(*axes)]


def _data(seed: int, scale: float) -> tuple:
    X, y = moons(300, noise=0.25, seed=seed)
    X_dev, y_dev = moons(200, noise=0.25, seed=seed + 10_000)
    return (scale * X, y), (scale * X_dev, y_dev)


def _search(data: tuple, points: list[dict[str, float]], seed: int) -> list[float]:
    return [dev_loss(data, p["lr"], p.get("weight_decay", 0.0), seed) for p in points]


def run(lab: Context) -> Outcome:
    n, k = (5, 4) if lab.quick else (10, 8)
    seeds = [int(s) for s in lab.rng(0).integers(1 << 20, size=n)]
    grid = grid_points(GRID, 3)
    part_a, part_b, drawn = [], [], {}
    for seed in seeds:
        data = _data(seed, 1.0)
        random = random_points(GRID, TRIALS, seed)
        a = (min(_search(data, random, seed)), min(_search(data, grid, seed)))
        scaled = _data(seed, 10.0)
        log, uniform = random_points(LOG, TRIALS, seed), random_points(UNIFORM, TRIALS, seed)
        b = (min(_search(scaled, log, seed)), min(_search(scaled, uniform, seed)))
        part_a.append(a)
        part_b.append(b)
        drawn.setdefault("first", (seed, random, log, uniform))
    verdict = all_hold([in_k_of_n([r < g for r, g in part_a], k),
                        in_k_of_n([lg < u for lg, u in part_b], k)])
    if lab.drawing:
        _draw(lab, grid, *drawn["first"])
    return Outcome(
        verdict=verdict,
        reason="best dev loss, random vs grid: " + ", ".join(f"{r:.3f}/{g:.3f}"
                                                            for r, g in part_a)
               + "; log vs uniform α (inputs x 10): " + ", ".join(f"{lg:.3f}/{u:.3f}"
                                                                   for lg, u in part_b),
        measured={"random_vs_grid": part_a, "log_vs_uniform": part_b, "seeds": seeds},
        config={"data": "moons(300, noise 0.25); dev 200", "network": "2-16-2 ReLU",
                "training": "SGD momentum 0.9, 30 full-batch epochs", "trials": TRIALS})


def _draw(lab: Context, grid: list, seed: int, random: list, log: list,
          uniform: list) -> None:
    import matplotlib.pyplot as plt

    sweep = np.logspace(-4, 1, 9 if lab.quick else 31)
    data, scaled = _data(seed, 1.0), _data(seed, 10.0)
    curve = [dev_loss(data, lr, 0.0, seed) for lr in sweep]
    scaled_curve = [dev_loss(scaled, lr, 0.0, seed) for lr in sweep if lr <= 1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(sweep, np.minimum(curve, 3), color="grey", lw=1, label="dev loss vs α")
    for points, colour, name in ((grid, "tab:red", "grid 3 x 3"),
                                 (random, "tab:blue", "random 9")):
        xs = [p["lr"] for p in points]
        left.scatter(xs, [3.3 if name.startswith("grid") else 3.5] * len(xs), color=colour,
                     marker="|", s=200, label=f"{name}: α tried")
    left.set(xscale="log", xlabel="α", ylabel="dev loss (capped at 3)",
             title="A grid repeats 3 values of α; random tries 9")
    left.legend(fontsize=8)
    right.plot(sweep[sweep <= 1], np.minimum(scaled_curve, 3), color="grey", lw=1,
               label="dev loss vs α (inputs x 10)")
    for points, colour, height, name in ((log, "tab:green", 3.3, "log-uniform"),
                                         (uniform, "tab:orange", 3.5, "uniform")):
        right.scatter([p["lr"] for p in points], [height] * len(points), color=colour,
                      marker="|", s=200, label=f"{name} α")
    right.set(xscale="log", xlabel="α", ylabel="dev loss (capped at 3)",
              title="Uniform draws crowd the top decade")
    right.legend(fontsize=8)
    lab.save(fig, "random_vs_grid")
