"""Will it fit in memory? A check made before a large array is allocated.

An array of n × d float32 values takes 4·n·d bytes. A mistake such as one-hot
encoding an identifier column (10⁵ categories) or ``hidden=[1000000000]`` asks for
tens of gigabytes; NumPy would then fail deep inside with ``MemoryError`` (or the
machine would start swapping). :func:`check_fits` says beforehand what is too
large, how large, and what to do instead.
"""

from __future__ import annotations

import os

__all__ = ["MEMORY_FRACTION", "TooLargeError", "available_memory", "check_fits", "format_bytes"]

MEMORY_FRACTION = 0.5
"""An allocation may take at most this share of the machine's physical memory."""

_FALLBACK_MEMORY = 8 * 2**30  # when the operating system does not say (8 GiB)


class TooLargeError(ValueError):
    """What was asked for would not fit in memory; the message names it and the fix."""


def available_memory() -> int:
    """The machine's physical memory in bytes (POSIX ``sysconf``; 8 GiB when unknown)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, OSError, ValueError):
        return _FALLBACK_MEMORY


def format_bytes(n: float) -> str:
    """'36.0 GiB', '512.0 MiB', '3.0 KiB'."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} TiB"  # pragma: no cover - the loop returns


def check_fits(nbytes: float, what: str, fix: str) -> None:
    """Raise :class:`TooLargeError` when ``nbytes`` exceeds :data:`MEMORY_FRACTION` of memory.

    >>> check_fits(1024, "a small array", "nothing to do")
    """
    limit = MEMORY_FRACTION * available_memory()
    if nbytes > limit:
        raise TooLargeError(f"{what} would need {format_bytes(nbytes)} of memory, more than "
                            f"half of this machine's {format_bytes(available_memory())}; {fix}")
