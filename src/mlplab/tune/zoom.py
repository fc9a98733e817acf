"""Coarse to fine: after each round, shrink the space around the best trials.

The rule, per setting, on that setting's own scale (log for log distributions, 1 − β
on a log scale for the β trick):

1. take the best 20 % of the round's finished trials (at least :data:`MIN_TOP` of them);
2. the new range is the span of their values, widened on each side by 10 % of that
   span (so a good value at the edge is not cut off) and kept inside the old range;
3. if the span collapses to one value, keep a quarter of the old range centred on it;
4. a ``choice`` keeps all its choices: Optuna fixes a categorical setting's choices for
   the whole study (the report's table shows which ones the best trials took).

So a log-uniform α in [10⁻⁴, 1] whose best trials sit at 3·10⁻³ … 2·10⁻² becomes about
[2.5·10⁻³, 2.4·10⁻²] for the next round: the same number of trials, a tenth of the
width, on the same scale.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from mlplab.tune.space import Dimension, Space

__all__ = ["MIN_TOP", "TOP_FRACTION", "shrink", "zoom_space"]

TOP_FRACTION = 0.2
MIN_TOP = 3
PAD = 0.1
COLLAPSED = 0.25


def _to_scale(dim: Dimension, value: float) -> float:
    return math.log(value) if dim.is_log else value


def _from_scale(dim: Dimension, value: float) -> float:
    return math.exp(value) if dim.is_log else value


def shrink(dim: Dimension, stored: list[Any]) -> Dimension:
    """The dimension narrowed to the span of ``stored`` (the best trials' stored values)."""
    if dim.kind == "choice":
        return dim
    low, high = (_to_scale(dim, v) for v in dim.stored_range())
    points = [_to_scale(dim, float(v)) for v in stored]
    lo, hi = min(points), max(points)
    if hi - lo <= 1e-12 * max(1.0, abs(hi)):
        half = COLLAPSED * (high - low) / 2
        lo, hi = lo - half, hi + half
    else:
        pad = PAD * (hi - lo)
        lo, hi = lo - pad, hi + pad
    lo, hi = max(lo, low), min(hi, high)
    new_low, new_high = _from_scale(dim, lo), _from_scale(dim, hi)
    if dim.kind == "one_minus_log_uniform":  # stored 1 − β back to β's ends
        new_low, new_high = 1.0 - new_high, 1.0 - new_low
    if dim.is_int:
        new_low, new_high = math.floor(new_low), math.ceil(new_high)
        if new_low == new_high:
            new_low, new_high = max(dim.low, new_low - 1), min(dim.high, new_high + 1)
    return replace(dim, low=float(new_low), high=float(new_high))


def zoom_space(space: Space, trials: list[Any], maximize: bool) -> Space:
    """The next round's space from this round's finished ``trials`` (Optuna FrozenTrials
    with a value); unchanged when fewer than :data:`MIN_TOP` trials finished."""
    scored = [t for t in trials if t.value is not None and math.isfinite(t.value)]
    if len(scored) < MIN_TOP:
        return space
    scored.sort(key=lambda t: t.value, reverse=maximize)
    top = scored[:max(MIN_TOP, math.ceil(TOP_FRACTION * len(scored)))]
    dims = []
    for dim in space:
        stored = [t.params[dim.param] for t in top if dim.param in t.params]
        dims.append(shrink(dim, stored) if stored else dim)
    return Space(tuple(dims))
