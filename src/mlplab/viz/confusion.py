"""The confusion matrix as a heat map: which classes the model mixes up.

Cell (i, j) counts the samples of true class i predicted as j (rows: truth,
columns: prediction, as ``mlplab.train.metrics.confusion_matrix`` returns it).
A perfect model is a bright diagonal. With ``normalize=True`` each row is
divided by its total, so the diagonal reads as per-class recall and an
off-diagonal cell as "fraction of class i taken for class j".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlplab.checks import OneOf, check
from mlplab.viz._common import finish, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_confusion_matrix"]

_NORMALIZE = {False: None, None: None, True: "true", "true": "true", "pred": "pred",
              "all": "all"}
_NORMALIZE_OPTIONS = OneOf((False, None, True, "true", "pred", "all"), example="True")
_ANNOTATE_UP_TO = 30  # beyond this many classes the numbers no longer fit in the cells


def plot_confusion_matrix(cm: Any, class_names: Sequence[str] | None = None,
                          path: str | Path | None = None, normalize: bool | str = False, *,
                          title: str | None = None, cmap: str = "Blues") -> Figure:
    """Heat map of a (K, K) confusion matrix with the value written in each cell.

    ``normalize``: False (counts), True or 'true' (divide each row by its total:
    recall on the diagonal), 'pred' (each column: precision on the diagonal) or
    'all' (the whole matrix). Rows or columns with no samples stay 0.
    Saves to ``path`` (.png or .svg) when given; returns the Figure.
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.size == 0 or cm.dtype.kind not in "biuf":
        raise ValueError(
            f"cm: expected a square (K, K) matrix of counts, got {cm.dtype} shape {cm.shape}; "
            "build one with mlplab.train.metrics.confusion_matrix(y_true, y_pred)"
        )
    if not np.isfinite(cm).all() or (cm < 0).any():
        raise ValueError("cm: expected finite, non-negative counts")
    check("plot_confusion_matrix", "normalize", normalize, _NORMALIZE_OPTIONS)
    how = _NORMALIZE[normalize]
    k = cm.shape[0]
    if class_names is None:
        names = [str(i) for i in range(k)]
    else:
        names = [str(c) for c in class_names]
        if len(names) != k:
            raise ValueError(
                f"class_names: expected {k} names (one per row of cm), got {len(names)}"
            )
    values = cm.astype(np.float64)
    if how is not None:
        axis = {"true": 1, "pred": 0, "all": None}[how]
        total = values.sum(axis=axis, keepdims=axis is not None)
        values = np.divide(values, total, out=np.zeros_like(values), where=total > 0)

    side = min(max(4.0, 0.45 * k + 2.5), 16.0)
    fig = new_figure("plot_confusion_matrix", (side + 1.0, side))
    ax = fig.add_subplot()
    image = ax.imshow(values, cmap=cmap, vmin=0, vmax=1 if how else max(values.max(), 1))
    fig.colorbar(image, ax=ax, label="fraction" if how else "count", shrink=0.8)
    if k <= _ANNOTATE_UP_TO:
        threshold = image.norm.vmax / 2  # dark cells get white text
        for i in range(k):
            for j in range(k):
                text = f"{values[i, j]:.2f}" if how else f"{int(round(values[i, j]))}"
                ax.text(j, i, text, ha="center", va="center", fontsize=8 if k > 10 else 10,
                        color="white" if values[i, j] > threshold else "black")
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 3 else 0,
                  ha="right" if max(map(len, names)) > 3 else "center")
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title or ("confusion matrix" + (f" (normalized over {how})" if how else "")))
    return finish(fig, path)
