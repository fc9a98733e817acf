"""What an experiment receives when it runs: mode, seed, options and where to draw."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


@dataclass
class Context:
    """One run of one experiment.

    ``quick`` selects the CPU-friendly mode (seconds, the test suite's mode);
    ``quick=False`` is ``--full`` (paper scale). ``out`` is the experiment's own
    folder (``OUT/NAME``) or None when nothing should be written; ``save`` then only
    closes the figure. ``figures`` lists what was written, in order.
    """

    quick: bool = True
    seed: int = 0
    out: Path | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    figures: list[Path] = field(default_factory=list)

    @property
    def full(self) -> bool:
        """True in ``--full`` mode."""
        return not self.quick

    def option(self, name: str, default: Any) -> Any:
        """The user's value of option ``name`` (already checked), else ``default``."""
        return self.options.get(name, default)

    def rng(self, stream: int = 0) -> np.random.Generator:
        """A generator seeded by (seed, stream): separate streams for data, init, …"""
        return np.random.default_rng([self.seed, stream])

    @property
    def drawing(self) -> bool:
        """Whether figures are kept (an output folder was given)."""
        return self.out is not None

    def save(self, fig: Any, name: str) -> None:
        """Write matplotlib figure ``fig`` as ``name.png`` and ``name.svg``, then close it."""
        import matplotlib.pyplot as plt

        try:
            if self.out is not None:
                self.out.mkdir(parents=True, exist_ok=True)
                for suffix in (".png", ".svg"):
                    path = self.out / f"{name}{suffix}"
                    fig.savefig(path, dpi=110 if suffix == ".png" else None,
                                bbox_inches="tight")
                    self.figures.append(path)
        finally:
            plt.close(fig)
