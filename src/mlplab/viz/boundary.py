"""2-D decision boundaries: color the plane by the class a model predicts there.

The model is evaluated on a ``resolution × resolution`` grid covering the data
(plus a margin); each grid point gets the predicted class ŷ = argmax_c p_c, and
the regions are drawn as filled contours under the data points. For a binary
model that outputs p(class 1) the shading shows the probability itself and a
black line marks the boundary p = 0.5 (equivalently z = 0 for a logit, since
σ(z) > 0.5 ⇔ z > 0). This is how the classic small examples are seen: a straight
line for logistic regression and AND/OR, a bent one once there is a hidden layer
(XOR, circles, moons, spirals).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlplab.checks import NON_NEGATIVE, Interval, check
from mlplab.viz._common import class_colors, finish, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_decision_boundary"]

_RESOLUTION = Interval(2, 2000, integer=True, example="200")  # grid points per axis


def _resolve(predict: Any) -> Callable[[np.ndarray], Any]:
    for method in ("predict_proba", "predict"):
        if callable(getattr(predict, method, None)):
            return getattr(predict, method)
    if callable(predict):
        return predict
    raise TypeError(
        "predict: expected a function mapping an (n, 2) array to probabilities (n, C) or "
        f"labels (n,), or an object with predict_proba/predict, got {type(predict).__name__}"
    )


def _grid_output(fn: Callable[[np.ndarray], Any], grid: np.ndarray) -> tuple[np.ndarray, bool]:
    """Run the model on the grid; return labels (m,) or p(class 1) (m,), and which."""
    out = fn(grid)
    if not isinstance(out, np.ndarray) and callable(getattr(out, "numpy", None)):
        out = out.numpy()  # an mlplab Tensor from a Module
    out = np.asarray(out)
    m = len(grid)
    if out.ndim == 2 and out.shape[1] == 1:
        out = out[:, 0]
    if out.ndim == 0 or out.shape[0] != m or out.ndim > 2 or out.dtype.kind not in "biuf":
        raise ValueError(
            f"predict: returned {out.dtype} of shape {out.shape} for a grid of {m} points; "
            f"expected labels ({m},) or probabilities ({m}, C)"
        )
    if out.dtype.kind == "f" and not np.isfinite(out).all():
        raise ValueError("predict: returned NaN or inf on the grid; is the model diverged?")
    if out.ndim == 2:  # per-class probabilities or scores
        if out.shape[1] == 2 and out.min() >= 0 and out.max() <= 1:
            return out[:, 1], True
        return out.argmax(axis=1), False
    if out.dtype.kind in "biu" or (out == np.round(out)).all():
        return out.astype(np.int64), False
    if out.min() >= 0 and out.max() <= 1:
        return out, True  # p(class 1)
    return (out > 0).astype(np.int64), False  # a logit or margin: the boundary is z = 0


def _check_points(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """2-D points X (n, 2) and their class ids y (n,) int64."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2 or X.dtype.kind not in "biuf" or len(X) == 0:
        raise ValueError(
            f"X: expected 2-D points of shape (n, 2), got {X.dtype} shape {X.shape}; "
            "decision boundaries are drawn for two input features"
        )
    if not np.isfinite(X).all():
        raise ValueError("X: expected finite values, got NaN or inf")
    y = np.asarray(y).reshape(-1)
    if len(y) != len(X) or y.dtype.kind not in "biuf" or (y != np.round(y)).any() or y.min() < 0:
        raise ValueError(
            f"y: expected {len(X)} class ids >= 0 (one per row of X), got {y.dtype} "
            f"shape {y.shape}"
        )
    return X, y.astype(np.int64)


def _grid(X: np.ndarray, resolution: int, margin: float) -> tuple[np.ndarray, ...]:
    """The axes xs, ys of a grid over the data plus ``margin``, and its points (m, 2)."""
    lo, hi = X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)
    pad = np.maximum((hi - lo) * margin, 0.5 * (hi == lo))  # a constant column gets ±0.5
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    dtype = X.dtype if X.dtype.kind == "f" else np.float64  # match a float32 model
    return xs, ys, np.column_stack([xx.ravel(), yy.ravel()]).astype(dtype)


def _draw_regions(fig: Any, ax: Any, xs: np.ndarray, ys: np.ndarray, Z: np.ndarray,
                  is_proba: bool, k: int) -> list[Any]:
    """Fill the plane by predicted class (or p(class 1)); return the k class colors."""
    xx, yy = np.meshgrid(xs, ys)
    if is_proba:  # binary: shade p(class 1), line at 0.5
        import matplotlib

        cmap = matplotlib.colormaps["RdBu_r"]
        colors = [cmap(0.15), cmap(0.85)] + class_colors(k)[2:]
        filled = ax.contourf(xx, yy, Z, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.6)
        ax.contour(xx, yy, Z, levels=[0.5], colors="k", linewidths=1.2)
        fig.colorbar(filled, ax=ax, label="p(class 1)")
        return colors
    colors = class_colors(k)
    ax.contourf(xx, yy, Z, levels=np.arange(k + 1) - 0.5, colors=colors, alpha=0.35)
    return colors


def plot_decision_boundary(predict: Any, X: Any, y: Any, path: str | Path | None = None,
                           resolution: int = 200, title: str | None = None, *,
                           class_names: Sequence[str] | None = None,
                           margin: float = 0.1) -> Figure:
    """Filled contours of the predicted class over the plane, with the data on top.

    Arguments:
        predict: a callable mapping an (m, 2) float array to probabilities (m, C),
            p(class 1) (m,) or (m, 1), or labels (m,); or an object with a
            ``predict_proba`` or ``predict`` method (a Trainer, a scikit-learn model).
        X: points, shape (n, 2). y: their class ids, shape (n,).
        resolution: grid points per axis (default 200, i.e. 40,000 predictions).
        class_names: legend labels, one per class id.
        margin: extra room around the data, as a fraction of its range.

    Saves to ``path`` (.png or .svg) when given; returns the Figure.
    """
    fn = _resolve(predict)
    X, y = _check_points(X, y)
    resolution = check("plot_decision_boundary", "resolution", resolution, _RESOLUTION)
    margin = check("plot_decision_boundary", "margin", margin, NON_NEGATIVE)
    xs, ys, grid = _grid(X, int(resolution), float(margin))
    Z, is_proba = _grid_output(fn, grid)
    Z = Z.reshape(len(ys), len(xs))

    k = int(max(y.max(), 1 if is_proba else Z.max())) + 1
    fig = new_figure("plot_decision_boundary", (6.0, 5.0))
    ax = fig.add_subplot()
    colors = _draw_regions(fig, ax, xs, ys, Z, is_proba, k)
    names = [f"class {c}" for c in range(k)]
    if class_names is not None:
        names[: len(class_names)] = [str(n) for n in class_names][:k]
    for c in range(k):
        pts = X[y == c]
        if len(pts):
            ax.scatter(pts[:, 0], pts[:, 1], color=colors[c], edgecolors="k", linewidths=0.5,
                       s=22, label=names[c])
    if k <= 10:
        ax.legend(fontsize=8, loc="best")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title or "decision boundary")
    return finish(fig, path)
