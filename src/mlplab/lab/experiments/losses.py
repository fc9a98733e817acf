"""Claim 20: what the choice of loss does.

- MAE, (1/m)Σ|ŷ − y|, has a gradient of constant size: outliers pull it no harder than
  any point (robust), but it does not shrink near the optimum or grow far from it
  (slow). MSE, (1/m)Σ(ŷ − y)², grows with the residual: fast far away, but a few
  outliers drag the fit. Both fit ŷ = w x + b with the same Trainer and learning rate.
- Squared loss on a sigmoid output, J(θ) = mean (σ(θᵀx) − y)², flattens where σ
  saturates: it is non-convex (its second derivative along a line changes sign).
  Cross-entropy J = −mean [y log σ + (1 − y) log(1 − σ)] is convex in θ.
- Cross-entropy is the negative log-likelihood of the labels: CE(z, y) =
  −mean log softmax(z)_y.
"""

from __future__ import annotations

import numpy as np

import mlplab as ml
from mlplab import nn, optim
from mlplab.data import moons
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.train import Trainer
from mlplab.train.callbacks.base import Callback

TRUE_W, TRUE_B = 10.0, 5.0

CLAIM = Claim(
    name="losses", number=20, group="losses",
    claim="MAE is robust to outliers but slow, MSE fast but pulled by outliers; squared "
          "loss on a sigmoid output is non-convex where cross-entropy is convex; "
          "cross-entropy is the negative log-likelihood.",
    term="损失函数: 平均绝对误差 / 均方误差 / 交叉熵",
    concept="Output units and losses",
    expected="fitting y = 10x + 5 (x ~ U(-1, 1), noise 0.1) with SGD lr = 0.05, full batch: "
             "with 10 % of targets shifted by +40, MAE's parameter error |θ − θ*| <= 0.3 and "
             "MSE's >= 3x MAE's; on clean data MSE reaches |θ − θ*| < 0.05 in at most half "
             "the epochs MAE needs; along a line θ = t d through weight space on two moons, "
             "the second derivative (second difference / dt^2) of the sigmoid+MSE cost goes "
             "below -0.01 while cross-entropy's stays >= -1e-6; CrossEntropyLoss equals "
             "NLLLoss(log_softmax) and -mean log p_y within 1e-12.",
    formula="MAE = mean|ŷ − y|, MSE = mean(ŷ − y)², CE = −mean log softmax(z)_y",
    quick_s=3.0, full_s=3.0)


class ParameterTrace(Callback):
    """Records |θ − θ*| of a 1-input linear model after every epoch."""

    def __init__(self, layer: nn.Linear) -> None:
        self.layer, self.errors = layer, []

    def on_epoch_end(self, epoch, logs=None) -> None:
        w, b = float(self.layer.weight.data[0, 0]), float(self.layer.bias.data[0])
        self.errors.append(float(np.hypot(w - TRUE_W, b - TRUE_B)))


def fit_line(x: np.ndarray, y: np.ndarray, loss: str, epochs: int) -> list[float]:
    """Fit ŷ = w x + b from w = b = 0 by full-batch SGD; |θ − θ*| after each epoch."""
    layer = nn.Linear(1, 1, init="zeros", seed=0).double()
    trace = ParameterTrace(layer)
    Trainer(layer, loss, optim.SGD(layer.parameters(), lr=0.05), callbacks=[trace],
            verbose=0).fit(x, y, epochs=epochs, batch_size=None, shuffle=False)
    return trace.errors


def _first_below(errors: list[float], level: float) -> int:
    return next((i + 1 for i, e in enumerate(errors) if e < level), len(errors) + 1)


def _regression(lab: Context) -> dict[str, object]:
    rng = lab.rng(1)
    x = rng.uniform(-1, 1, size=(200, 1))
    clean = (TRUE_W * x + TRUE_B + rng.normal(0, 0.1, size=x.shape)).ravel()
    dirty = clean.copy()
    dirty[rng.choice(200, size=20, replace=False)] += 40.0
    curves = {f"{loss} {data}": fit_line(x, y, loss, 600)
              for loss in ("mae", "mse") for data, y in (("clean", clean), ("outliers", dirty))}
    return {"x": x, "dirty": dirty, "curves": curves,
            "outlier_error": {k: curves[f"{k} outliers"][-1] for k in ("mae", "mse")},
            "epochs_to_0.05": {k: _first_below(curves[f"{k} clean"], 0.05)
                               for k in ("mae", "mse")}}


def costs_along_a_line(lab: Context) -> dict[str, np.ndarray]:
    """J(t d) of a logistic unit on two moons for MSE-on-σ and cross-entropy."""
    X, y = moons(200, noise=0.1, seed=int(lab.rng(2).integers(1 << 30)))
    X = np.hstack([X.astype(np.float64), np.ones((len(X), 1))])  # bias as a third weight
    d = lab.rng(3).standard_normal(3)
    t = np.linspace(-15, 15, 601)
    z = ml.tensor(np.outer(X @ d, t), dtype="float64")          # (m, len(t))
    target = ml.tensor(np.repeat(y[:, None], len(t), axis=1), dtype="float64")
    mse = ((nn.functional.sigmoid(z) - target) ** 2).data.mean(axis=0)
    bce = nn.BCEWithLogitsLoss(reduction="none")(z, target).data.mean(axis=0)
    return {"t": t, "mse": mse, "ce": bce}


def _ce_is_nll(lab: Context) -> float:
    z = lab.rng(4).normal(0, 3, size=(50, 5))
    y = lab.rng(5).integers(0, 5, size=50)
    ce = float(nn.CrossEntropyLoss()(ml.tensor(z, dtype="float64"), y).data)
    nll = float(nn.NLLLoss()(ml.log_softmax(ml.tensor(z, dtype="float64")), y).data)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    by_hand = float(-np.mean(np.log((p / p.sum(axis=1, keepdims=True))[np.arange(50), y])))
    return max(abs(ce - nll), abs(ce - by_hand))


def run(lab: Context) -> Outcome:
    fits = _regression(lab)
    line = costs_along_a_line(lab)
    step = line["t"][1] - line["t"][0]
    curvature = {k: float((np.diff(line[k], 2) / step**2).min()) for k in ("mse", "ce")}
    nll_gap = _ce_is_nll(lab)
    err, epochs = fits["outlier_error"], fits["epochs_to_0.05"]
    verdict = all_hold([at_most(err["mae"], 0.3), at_least(err["mse"], 3 * err["mae"]),
                        at_most(epochs["mse"], epochs["mae"] / 2),
                        at_most(curvature["mse"], -1e-2), at_least(curvature["ce"], -1e-6),
                        at_most(nll_gap, 1e-12)])
    if lab.drawing:
        _draw(lab, fits, line)
    return Outcome(
        verdict=verdict,
        reason=f"with outliers |θ − θ*|: MAE {err['mae']:.3f}, MSE {err['mse']:.2f}; clean "
               f"data, epochs to 0.05: MSE {epochs['mse']}, MAE {epochs['mae']}; min J'' "
               f"along a line: σ+MSE {curvature['mse']:.1e}, CE "
               f"{curvature['ce']:.1e}; |CE − NLL| {nll_gap:.0e}",
        measured={"outlier_parameter_error": err, "epochs_to_0.05_clean": epochs,
                  "min_second_derivative_along_line": curvature, "ce_nll_gap": nll_gap},
        config={"line": "y = 10x + 5 + N(0, 0.1²), 200 points, 20 shifted by +40",
                "optimizer": "SGD lr=0.05 full batch, 600 epochs from zeros",
                "non_convexity": "logistic unit on two moons, θ = t d, t in [-15, 15]"})


def _draw(lab: Context, fits: dict, line: dict) -> None:
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for key, style in (("mae clean", "-"), ("mse clean", "-"), ("mae outliers", "--"),
                       ("mse outliers", "--")):
        left.plot(fits["curves"][key], ls=style, label=key.upper().replace("CLEAN", "clean")
                  .replace("OUTLIERS", "outliers"))
    left.set(yscale="log", xscale="log", xlabel="epoch", ylabel="|θ − θ*|",
             title="fitting y = 10x + 5: MAE vs MSE")
    left.legend(fontsize=8)
    right.plot(line["t"], line["mse"] / line["mse"].max(), label="MSE on σ (non-convex)")
    right.plot(line["t"], line["ce"] / line["ce"].max(), label="cross-entropy (convex)")
    right.set(xlabel="t (θ = t d)", ylabel="J / max J", title="cost along a line in θ")
    right.legend(fontsize=8)
    fig.tight_layout()
    lab.save(fig, "losses")
