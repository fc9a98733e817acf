"""The two in-place rules every optimizer is built from.

* the exponentially weighted average (指数加权平均), v := β v + (1 − β) θ — momentum
  averages dW with it, RMSprop and Adadelta average dW², Adam does both;
* the descent step W := W − α d.

Both write into existing arrays with NumPy ``out=`` so a step never allocates a
new parameter-sized array except short-lived temporaries (``scratch``).
"""

from __future__ import annotations

from typing import Any

from mlplab.backend import xp


def running_average_(avg: Any, x: Any, beta: float, *, square: bool = False,
                     scratch: Any = None) -> Any:
    """In place: avg := β·avg + (1 − β)·x, or with ``square=True`` avg := β·avg + (1 − β)·x².

    ``scratch`` (same shape as ``avg``) receives (1 − β)·x; pass one to reuse it.
    Returns ``avg``.
    """
    tmp = xp.empty_like(avg) if scratch is None else scratch
    if square:
        xp.multiply(x, x, out=tmp)
        tmp *= 1.0 - beta
    else:
        xp.multiply(x, 1.0 - beta, out=tmp)
    avg *= beta
    avg += tmp
    return avg


def descend_(w: Any, direction: Any, lr: float, *, scratch: Any = None) -> None:
    """In place: W := W − α·d. ``direction`` itself is never modified."""
    tmp = xp.empty_like(w) if scratch is None else scratch
    xp.multiply(direction, lr, out=tmp)
    w -= tmp
