"""Write a figure to PNG or SVG atomically.

The image is written to a temporary file in the destination folder and moved
into place with ``os.replace`` (atomic on POSIX and Windows), so a crash or a
full disk never leaves a half-written plot where a good one used to be.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

__all__ = ["save_figure", "FORMATS"]

FORMATS = {".png": "png", ".svg": "svg"}


def save_figure(fig: Any, path: str | os.PathLike[str], *, dpi: float | None = None) -> Path:
    """Save ``fig`` (a matplotlib Figure) to ``path``; the format follows the suffix.

    Parent folders are created. ``dpi`` defaults to the figure's own (PNG only).
    Returns the path written, e.g. ``save_figure(fig, "runs/curves.svg")``.
    """
    if not callable(getattr(fig, "savefig", None)):
        raise TypeError(
            f"fig: expected a matplotlib Figure (returned by the plot_* functions), "
            f"got {type(fig).__name__}"
        )
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path: expected a file path such as 'plot.png', got {path!r}")
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(
            f"path: expected a file name ending in .png or .svg, got {str(path)!r}; "
            f"e.g. {path.with_suffix('.png').name!r}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    # a fresh name next to the target (same filesystem, so os.replace is atomic); not
    # mkstemp, whose 0600 mode would survive the rename and hide the plot from others
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fig.savefig(tmp, format=fmt, dpi=dpi if dpi is not None else "figure")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
