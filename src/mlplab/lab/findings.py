"""What a lab experiment hands back to a reader: a small table and the figures it drew."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Findings:
    """One experiment's result, ready to print.

    ``rows`` are strings already formatted for reading (one per compared setting);
    ``figures`` are the PNG files written, empty when no output folder was given.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    figures: tuple[Path, ...] = ()
