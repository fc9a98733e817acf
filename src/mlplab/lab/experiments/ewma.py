"""Claim 12: the exponentially weighted moving average, its window and its bias correction.

v_t = β v_{t−1} + (1 − β) θ_t with v₀ = 0 weighs the value k steps back by (1 − β) βᵏ.
That weight falls to 1/e of the newest one after k = −1 / ln β ≈ 1 / (1 − β) steps,
which is the sense in which v_t "averages about the last 1 / (1 − β) values". Starting
from v₀ = 0 pulls the first values towards 0; dividing by 1 − βᵗ removes that bias.
The run smooths a noisy daily-temperature-like series with ``mlplab.optim.EWMA``.
"""

from __future__ import annotations

import math

import numpy as np

from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.optim import EWMA

CLAIM = Claim(
    name="ewma", number=12, group="optimization",
    claim="An exponentially weighted average with factor β averages about the last "
          "1/(1 − β) values; without bias correction its first values are pulled towards 0.",
    term="指数加权平均 (exponentially weighted average) and 偏差修正 (bias correction)",
    concept="Gradient descent and its variants",
    expected="For β = 0.5, 0.9, 0.98 the weight of a past value falls to 1/e of the newest "
             "one after a number of steps within 30 % of 1/(1 − β) (measured by feeding a "
             "unit impulse); on a noisy series of level ≈ 20, over the first 1/(1 − β) steps "
             "(at least 5) the bias-corrected average's mean absolute error is <= 1/3 of "
             "the uncorrected one's for β = 0.9 and 0.98.",
    formula="v_t = β v_{t−1} + (1 − β) θ_t;  v̂_t = v_t / (1 − βᵗ);  window ≈ 1 / (1 − β)",
    quick_s=1.5, full_s=1.5)

BETAS = (0.5, 0.9, 0.98)


def smooth(series: np.ndarray, beta: float, bias_correction: bool) -> np.ndarray:
    """The library's EWMA run over ``series``, one output per value."""
    average = EWMA(beta=beta, bias_correction=bias_correction)
    return np.array([average.update(float(x)) for x in series])


def window(beta: float, length: int = 1000) -> int:
    """Steps after which a unit impulse's weight in v_t falls below 1/e of its first weight."""
    impulse = np.zeros(length)
    impulse[0] = 1.0
    response = smooth(impulse, beta, bias_correction=False)
    return int(np.argmax(response < response[0] / math.e))


def run(lab: Context) -> Outcome:
    rng = lab.rng(0)
    days = np.arange(365)
    level = 20 + 8 * np.sin(2 * np.pi * (days - 100) / 365)
    series = level + rng.normal(0, 3, size=days.size)
    windows = {beta: window(beta) for beta in BETAS}
    errors = {}
    for beta in BETAS:
        early = max(5, round(1 / (1 - beta)))
        raw, fixed = (np.abs(smooth(series, beta, c)[:early] - level[:early]).mean()
                      for c in (False, True))
        errors[beta] = {"uncorrected": float(raw), "corrected": float(fixed), "steps": early}
    parts = [all_hold([at_least(windows[b], 0.7 / (1 - b)), at_most(windows[b], 1.3 / (1 - b))])
             for b in BETAS]
    parts += [at_most(errors[b]["corrected"], errors[b]["uncorrected"] / 3) for b in (0.9, 0.98)]
    if lab.drawing:
        _draw(lab, days, series, level)
    return Outcome(
        verdict=all_hold(parts),
        reason="1/e window " + ", ".join(f"β={b}: {windows[b]} steps (1/(1−β) = "
                                         f"{1 / (1 - b):.0f})" for b in BETAS)
               + "; early mean abs error uncorrected → corrected "
               + ", ".join(f"β={b}: {errors[b]['uncorrected']:.1f} → "
                           f"{errors[b]['corrected']:.1f}" for b in (0.9, 0.98)),
        measured={"window_steps": {str(b): windows[b] for b in BETAS},
                  "early_error": {str(b): errors[b] for b in BETAS}},
        config={"series": "20 + 8 sin(2π(t − 100)/365) + N(0, 3²), 365 values"})


def _draw(lab: Context, days: np.ndarray, series: np.ndarray, level: np.ndarray) -> None:
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    for ax in (left, right):
        ax.plot(days, series, ".", ms=2, color="0.6", label="noisy values θ_t")
        ax.set(xlabel="t", ylabel="value")
    for i, beta in enumerate(BETAS):
        left.plot(days, smooth(series, beta, True), color=f"C{i}",
                  label=f"β = {beta} (≈ {1 / (1 - beta):.0f} values)")
    left.set_title("Bias-corrected EWMA: larger β, smoother but later")
    for corrected, style in ((False, "--"), (True, "-")):
        right.plot(days[:60], smooth(series[:60], 0.98, corrected), style, color="C2",
                   label=f"β = 0.98, {'with' if corrected else 'without'} bias correction")
    right.plot(days[:60], level[:60], ":", color="k", label="true level")
    right.set_xlim(0, 60)
    right.set_title("The first values: v₀ = 0 pulls v_t down")
    left.legend(fontsize=7)
    right.legend(fontsize=7)
    fig.tight_layout()
    lab.save(fig, "ewma")
