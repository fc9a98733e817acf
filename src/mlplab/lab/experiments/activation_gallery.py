"""Claim 3: the activation gallery: f and f′ of every activation, and the identities.

f′ comes from autograd (``backward`` on Σ f(x)) and is checked against central
differences (f(x + h) − f(x − h)) / 2h away from the kinks. Saturation: the inputs
where |f′| < 0.01, so almost no gradient flows back through the unit.
"""

from __future__ import annotations

import numpy as np

import mlplab as ml
from mlplab import nn
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.verdicts import all_hold, at_most

SATURATED = 0.01
"""|f′| below this counts as saturated."""

CLAIM = Claim(
    name="activation-gallery", number=3, group="activations",
    claim="Every activation's f and f′ drawn with its saturation regions: sigmoid′ is at "
          "most 1/4, tanh(x) = 2σ(2x) − 1, and a 2-class softmax is the sigmoid of the "
          "logit difference.",
    term="激活函数 (activation functions)",
    concept="Activation functions and their derivatives",
    expected="autograd f′ matches central differences within 1e-6 for every activation of "
             "ml.nn; max σ′ over [-8, 8] is 0.25 within 1e-9, at x = 0; |tanh(x) − (2σ(2x) − "
             "1)| <= 1e-12; |softmax(z0, z1)_1 − σ(z1 − z0)| <= 1e-12 over 1000 random pairs; "
             "sigmoid and tanh saturate (|f′| < 0.01) at x = ±6, ReLU-type units never for x > 0.",
    formula="σ′ = σ(1 − σ) ≤ 1/4; tanh(x) = 2σ(2x) − 1; softmax(z)_1 = σ(z1 − z0)",
    quick_s=2.0, full_s=2.0)


def activations() -> dict[str, nn.Module]:
    """Every elementwise activation of ``ml.nn`` by name (RReLU in eval mode: a fixed slope)."""
    layers = {name: cls() for name, cls in nn.ACTIVATIONS.items()
              if name not in ("linear", "softmax")}
    layers["rrelu"].eval()
    return layers


def value_and_slope(layer: nn.Module, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f′(x) by autograd (elementwise, so the gradient of Σ f is f′)."""
    t = ml.tensor(x, dtype="float64", requires_grad=True)
    out = layer(t)
    out.sum().backward()
    return out.data.copy(), t.grad.copy()


def _numeric_error(layer: nn.Module, x: np.ndarray, h: float = 1e-6) -> float:
    away = x[np.abs(x) > 1e-3]  # the kink of ReLU-type units sits at 0
    _, slope = value_and_slope(layer, away)
    numeric = (value_and_slope(layer, away + h)[0] - value_and_slope(layer, away - h)[0]) / (2 * h)
    return float(np.abs(slope - numeric).max())


def run(lab: Context) -> Outcome:
    x = np.round(np.linspace(-8, 8, 4001), 12)  # contains 0 and ±6 exactly
    layers = activations()
    curves = {name: value_and_slope(layer, x) for name, layer in layers.items()}
    numeric = {name: _numeric_error(layer, x[::10]) for name, layer in layers.items()}
    sig_slope = curves["sigmoid"][1]
    sigma = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731 - the formula, for the identities
    tanh_gap = float(np.abs(curves["tanh"][0] - (2 * sigma(2 * x) - 1)).max())
    z = lab.rng(1).normal(0, 10, size=(1000, 2))
    soft = nn.functional.softmax(ml.tensor(z, dtype="float64")).data[:, 1]
    softmax_gap = float(np.abs(soft - sigma(z[:, 1] - z[:, 0])).max())
    at6 = {n: bool(abs(c[1][x == 6.0][0]) < SATURATED and abs(c[1][x == -6.0][0]) < SATURATED)
           for n, c in curves.items()}
    relu_like = ("relu", "leaky_relu", "prelu", "rrelu", "elu")
    positive_ok = all(np.all(curves[n][1][x > 0] >= 1 - 1e-12) for n in relu_like)
    saturated = {n: float(np.mean(np.abs(c[1]) < SATURATED)) for n, c in curves.items()}
    verdict = all_hold([
        at_most(max(numeric.values()), 1e-6), at_most(abs(sig_slope.max() - 0.25), 1e-9),
        "pass" if x[sig_slope.argmax()] == 0 else "fail", at_most(tanh_gap, 1e-12),
        at_most(softmax_gap, 1e-12),
        "pass" if at6["sigmoid"] and at6["tanh"] and positive_ok else "fail"])
    if lab.drawing:
        _draw(lab, x, curves)
    return Outcome(
        verdict=verdict,
        reason=f"max σ′ {sig_slope.max():.6f} at x = {x[sig_slope.argmax()]:g}; tanh identity "
               f"gap {tanh_gap:.1e}; softmax/sigmoid gap {softmax_gap:.1e}; worst autograd vs "
               f"numeric f′ {max(numeric.values()):.1e}; saturated share of [-8, 8]: sigmoid "
               f"{saturated['sigmoid']:.2f}, tanh {saturated['tanh']:.2f}, relu "
               f"{saturated['relu']:.2f}",
        measured={"max_sigmoid_slope": float(sig_slope.max()), "tanh_identity_gap": tanh_gap,
                  "softmax_sigmoid_gap": softmax_gap, "autograd_vs_numeric": numeric,
                  "saturated_fraction": saturated, "saturated_at_6": at6},
        config={"grid": "4001 points on [-8, 8]", "saturated": f"|f′| < {SATURATED}",
                "activations": list(layers)})


def _draw(lab: Context, x: np.ndarray, curves: dict) -> None:
    import matplotlib.pyplot as plt

    names = list(curves)
    cols = (len(names) + 1) // 2
    fig, axes = plt.subplots(2, cols, figsize=(2.6 * cols, 5.2), sharex=True)
    for ax, name in zip(axes.ravel(), names, strict=False):
        f, slope = curves[name]
        ax.fill_between(x, 0, 1, where=np.abs(slope) < SATURATED, color="0.88",
                        transform=ax.get_xaxis_transform(), label="|f′| < 0.01")
        ax.plot(x, f, lw=1.6, label="f(x)")
        ax.plot(x, slope, lw=1.3, ls="--", label="f′(x)")
        ax.axhline(0, color="0.6", lw=0.5)
        ax.set_ylim(-2.2, 2.2)
        ax.set_title(name, fontsize=10)
    axes[0, 0].legend(fontsize=7, loc="upper left")
    for ax in axes[1]:
        ax.set_xlabel("x")
    fig.suptitle("activations f (solid) and f′ (dashed); grey: saturated")
    fig.subplots_adjust(left=0.05, right=0.98, top=0.88, bottom=0.1, wspace=0.25, hspace=0.3)
    lab.save(fig, "activation_gallery")
