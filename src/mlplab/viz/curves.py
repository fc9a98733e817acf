"""Learning curves (train vs dev per epoch) and the bias/variance reading of them.

The *bias/variance* diagnosis reads a model from two numbers, the training-set
error and the dev-set error:

====================  ==================  =============================================
train error            dev error           reading → what to try
====================  ==================  =============================================
high (≫ baseline)      ≈ train             high bias (underfitting) → bigger network,
                                           longer training, better optimizer
low                    ≫ train             high variance (overfitting) → more data,
                                           regularization (L2, dropout), early stopping
high                   ≫ train             both → fix bias first, then variance
low                    ≈ train             low bias, low variance: a good fit
====================  ==================  =============================================

"baseline" is the error you could hope for (human-level or Bayes error, 0 by
default). :func:`bias_variance_reading` applies this table to the final epoch
of a History; :func:`plot_learning_curves` draws the curves and prints the
reading under them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlplab.checks import unknown
from mlplab.viz._common import finish, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["BiasVarianceReading", "bias_variance_reading", "plot_learning_curves"]

# names whose value grows as the model improves; their error is 1 − value
_HIGHER_IS_BETTER = ("acc", "precision", "recall", "f1", "r2", "auc")
# loss-based reading (no error rate available): fractions of the first epoch's train loss L₀
_LOSS_BIAS_FRACTION = 0.5  # train loss still above 0.5·L₀ → high bias
_LOSS_GAP_FRACTION = 0.2  # dev − train loss above 0.2·L₀ → high variance

_BIAS_FIX = "try a bigger network, longer training or a better optimizer"
_VARIANCE_FIX = "try more data, regularization (L2, dropout) or early stopping"


@dataclass(frozen=True)
class BiasVarianceReading:
    """The diagnosis of one History: flags, the numbers behind them, and a sentence."""

    high_bias: bool
    high_variance: bool | None  # None: no dev curve to judge from
    train_error: float
    dev_error: float | None
    source: str  # the History key the errors come from, e.g. "accuracy" or "loss"
    text: str


def _history_dict(history: Any) -> dict[str, np.ndarray]:
    raw = getattr(history, "history", history)
    if not isinstance(raw, Mapping):
        raise TypeError(
            "history: expected a dict of per-epoch lists (keys 'loss', 'val_loss', ...) or an "
            f"object with a .history dict (what Trainer.fit returns), got {type(history).__name__}"
        )
    out = {}
    for key, values in raw.items():
        try:
            arr = np.asarray(values, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise ValueError(
                f"history[{key!r}]: expected a list of numbers, got {values!r:.60}"
            ) from None
        out[str(key)] = arr
    if not any(len(v) for v in out.values()):
        raise ValueError("history: no values recorded; train for at least one epoch first")
    return out


def _key(h: Mapping[str, np.ndarray], name: str, owner: str) -> np.ndarray:
    """The recorded values of History key ``name``; a typo gets the closest recorded key."""
    if name not in h or len(h[name]) == 0:
        raise unknown(owner, "History key", name, [k for k, v in h.items() if len(v)])
    return h[name]


def _higher_is_better(name: str) -> bool:
    return any(part in name.lower() for part in _HIGHER_IS_BETTER)


def bias_variance_reading(history: Any, metric: str | None = None, *, baseline: float = 0.0,
                          tolerance: float = 0.05) -> BiasVarianceReading:
    """Read bias and variance off the final epoch of ``history`` (the table above).

    ``metric`` picks the History key; by default 'accuracy' (or 'acc') when
    recorded, else 'loss'. For accuracy-like keys the error is 1 − value and the
    reading is the table's: high bias when train error − ``baseline`` >
    ``tolerance``, high variance when dev error − train error > ``tolerance``
    (both error rates, default 5 points). From a loss, whose scale depends on the
    task, the thresholds are heuristic fractions of the first epoch's train loss
    L₀: high bias when the final train loss is above 0.5·L₀ (training removed less
    than half of it), high variance when dev − train loss exceeds 0.2·L₀.
    """
    h = _history_dict(history)
    if metric is None:
        metric = next((k for k in ("accuracy", "acc") if len(h.get(k, ()))), "loss")
    train = _key(h, metric, "bias_variance_reading")
    dev = h.get(f"val_{metric}")
    dev = dev if dev is not None and len(dev) else None
    if _higher_is_better(metric):
        train_err = 1.0 - float(train[-1])
        dev_err = None if dev is None else 1.0 - float(dev[-1])
        high_bias = train_err - baseline > tolerance
        gap_tol, what = tolerance, f"train error {train_err:.1%}"
        if dev_err is not None:
            what += f", dev error {dev_err:.1%}"
        what += f" (from {metric}"
        what += f", baseline {baseline:.1%})" if baseline else ")"
    else:
        train_err = float(train[-1])
        dev_err = None if dev is None else float(dev[-1])
        first = max(abs(float(train[0])), np.finfo(float).tiny)
        high_bias = len(train) > 1 and train_err - baseline > _LOSS_BIAS_FRACTION * first
        gap_tol = _LOSS_GAP_FRACTION * first
        what = f"train {metric} {train_err:.4g}"
        if dev_err is not None:
            what += f", dev {metric} {dev_err:.4g}"
        what += f" (first epoch {float(train[0]):.4g})"
    high_variance = None if dev_err is None else dev_err - train_err > gap_tol
    if high_bias and high_variance:
        verdict = f"high bias and high variance: fix bias first ({_BIAS_FIX}), then {_VARIANCE_FIX}"
    elif high_bias:
        verdict = f"high bias (underfitting): {_BIAS_FIX}"
    elif high_variance:
        verdict = f"high variance (overfitting): {_VARIANCE_FIX}"
    elif high_variance is None:
        verdict = "low bias; no dev curve, so variance cannot be read (pass validation data)"
    else:
        verdict = "low bias, low variance: a good fit"
    return BiasVarianceReading(high_bias, high_variance, train_err, dev_err, metric,
                               f"{what} → {verdict}")


def plot_learning_curves(history: Any, metrics: str | Sequence[str] = ("loss",),
                         path: str | Path | None = None, title: str | None = None, *,
                         baseline: float = 0.0, tolerance: float = 0.05,
                         annotate: bool = True) -> Figure:
    """Train and dev curves per epoch, one panel per key in ``metrics``.

    ``history`` is a Keras-style dict of lists ('loss', 'val_loss', '<metric>',
    'val_<metric>', 'lr') or an object with a ``.history`` dict. Each panel
    draws the train curve, the dev curve (``val_<key>``) when recorded and a dot
    at the best dev epoch (where early stopping with restore_best_weights would
    stop); 'lr' is drawn on a log axis. With ``annotate`` the bias/variance
    reading of :func:`bias_variance_reading` is written under the panels.
    Saves to ``path`` (.png or .svg) when given; returns the Figure.
    """
    h = _history_dict(history)
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    if not names:
        raise ValueError("metrics: expected at least one History key, e.g. ('loss', 'accuracy')")
    for name in names:
        _key(h, name, "plot_learning_curves")
    ncols = min(len(names), 3)
    nrows = -(-len(names) // ncols)
    fig = new_figure("plot_learning_curves", (4.8 * ncols, 3.4 * nrows + 0.5))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, name in zip(axes, names, strict=False):
        _draw_panel(ax, name, h)
    for ax in axes[len(names):]:
        ax.set_axis_off()
    if title:
        fig.suptitle(title)
    # the reading comes from accuracy or loss when recorded, else from the first panel
    source = next((k for k in ("accuracy", "acc", "loss") if len(h.get(k, ()))), None)
    source = source or next((n for n in names if n != "lr"), None)
    if annotate and source is not None:
        reading = bias_variance_reading(h, source, baseline=baseline, tolerance=tolerance)
        fig.supxlabel(reading.text, fontsize=9, wrap=True)
    return finish(fig, path)


def _draw_panel(ax: Any, name: str, h: Mapping[str, np.ndarray]) -> None:
    """Train and dev curves of one History key, with the best dev epoch marked."""
    from matplotlib.ticker import MaxNLocator

    train = h[name]
    ax.plot(np.arange(1, len(train) + 1), train, label="train", color="C0")
    dev = h.get(f"val_{name}")
    if dev is not None and len(dev):
        epochs = np.arange(1, len(dev) + 1)
        ax.plot(epochs, dev, label="dev", color="C1")
        best = int(np.nanargmax(dev) if _higher_is_better(name) else np.nanargmin(dev))
        ax.plot(epochs[best], dev[best], "o", color="C1",
                label=f"best dev (epoch {epochs[best]})")
    if name == "lr" and (train > 0).all():
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
    ax.set_title(name)
    ax.set_xlabel("epoch")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
