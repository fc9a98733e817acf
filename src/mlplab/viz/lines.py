"""Several named curves on one set of axes (loss per epoch of competing runs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from mlplab.viz._common import finish, new_figure


def plot_curves(curves: Mapping[str, Sequence[float]], path: str | Path | None = None,
                xlabel: str = "epoch", ylabel: str = "loss", logy: bool = False,
                title: str | None = None):
    """One line per entry of ``curves`` (name → values per epoch); returns the Figure."""
    if not curves:
        raise ValueError("plot_curves: curves is empty; pass a dict of name -> values")
    fig = new_figure("plot_curves", (7.0, 4.5))
    from matplotlib.ticker import MaxNLocator  # after new_figure: it says how to install it

    ax = fig.add_subplot(1, 1, 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # x counts epochs (or steps)
    for name, values in curves.items():
        ax.plot(range(1, len(values) + 1), list(values), label=name, linewidth=1.6)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return finish(fig, path)
