"""Shared plumbing for the plots: import matplotlib lazily, build figures, pick colors.

Figures are created as ``matplotlib.figure.Figure`` objects with an Agg canvas
attached, never through ``pyplot``: no global state, no GUI backend, no figure
left open in a registry, so plotting is safe in scripts, tests and servers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def require_matplotlib(what: str) -> None:
    """Raise a one-line ImportError naming the extra to install when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:  # pragma: no cover - matplotlib is installed in CI
        raise ImportError(
            f"{what} needs matplotlib; install it with: pip install 'mlplab[viz]'"
        ) from None


def new_figure(what: str, figsize: tuple[float, float]) -> Figure:
    """A standalone Figure with an Agg canvas and constrained layout."""
    require_matplotlib(what)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def finish(fig: Figure, path: str | Path | None) -> Figure:
    """Save ``fig`` to ``path`` when one is given, and return it."""
    if path is not None:
        from mlplab.viz.save import save_figure

        save_figure(fig, path)
    return fig


def class_colors(k: int) -> list[Any]:
    """k distinguishable colors (tab10, tab20, then samples of viridis)."""
    import matplotlib

    if k <= 10:
        return list(matplotlib.colormaps["tab10"].colors[:k])
    if k <= 20:
        return list(matplotlib.colormaps["tab20"].colors[:k])
    cmap = matplotlib.colormaps["viridis"]
    return [cmap(i / (k - 1)) for i in range(k)]
