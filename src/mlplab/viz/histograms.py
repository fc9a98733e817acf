"""Per-layer histograms of activations or gradients (from the ActivationStats callback).

An initialization or an activation function is judged by looking at the
distribution of a^[l] = g(z^[l]) layer by layer: with sigmoid/tanh and weights
that are too large the histograms pile up at the saturated ends (±1 for tanh,
0/1 for σ, where g′ ≈ 0 and gradients vanish); with weights that are too small
they collapse to a spike at 0 deeper in the network; Xavier/He initialization
keeps a similar spread in every layer. Gradient histograms show the same story
backwards: shrinking spreads layer after layer are vanishing gradients.

A record (one layer, one kind, one step) is a dict::

    {"step": int, "layer": str, "kind": "activation" | "gradient",
     "mean": float, "std": float, "dead_fraction": float | None,
     "saturated_fraction": float | None, "hist_counts": list[int],
     "hist_edges": list[float]}      # len(hist_edges) == len(hist_counts) + 1
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlplab.checks import NON_NEGATIVE_INT, OneOf, check, optional
from mlplab.viz._common import finish, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_activation_histograms"]

_KINDS = OneOf(("activation", "gradient"), example="'activation'")
_REQUIRED = ("step", "layer", "kind", "hist_counts", "hist_edges")


def _check_record(i: int, rec: Any) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(rec, Mapping):
        raise TypeError(f"records[{i}]: expected a dict, got {type(rec).__name__}")
    missing = [k for k in _REQUIRED if k not in rec]
    if missing:
        raise ValueError(
            f"records[{i}]: missing key(s) {missing}; expected the dicts recorded by "
            "ActivationStats (step, layer, kind, mean, std, hist_counts, hist_edges, ...)"
        )
    counts = np.asarray(rec["hist_counts"], dtype=np.float64).reshape(-1)
    edges = np.asarray(rec["hist_edges"], dtype=np.float64).reshape(-1)
    if len(counts) == 0 or len(edges) != len(counts) + 1:
        raise ValueError(
            f"records[{i}]: expected len(hist_edges) == len(hist_counts) + 1 >= 2, got "
            f"{len(edges)} edges for {len(counts)} counts (layer {rec['layer']!r})"
        )
    if not (np.isfinite(edges).all() and (np.diff(edges) >= 0).all()):
        raise ValueError(
            f"records[{i}]: hist_edges must be finite and increasing (layer {rec['layer']!r}); "
            "a NaN here usually means the run diverged"
        )
    return counts, edges


def _select(records: Sequence[Mapping[str, Any]], kind: str,
            step: int | None) -> dict[str, tuple[Mapping[str, Any], np.ndarray, np.ndarray]]:
    """Layer name → (record, counts, edges), in first-seen layer order."""
    chosen: dict[str, tuple[Mapping[str, Any], np.ndarray, np.ndarray]] = {}
    kinds, steps = set(), set()
    for i, rec in enumerate(records):
        counts, edges = _check_record(i, rec)
        kinds.add(rec["kind"])
        if rec["kind"] != kind:
            continue
        steps.add(int(rec["step"]))
        if step is not None and int(rec["step"]) != step:
            continue
        layer = str(rec["layer"])
        if layer not in chosen or int(rec["step"]) >= int(chosen[layer][0]["step"]):
            chosen[layer] = (rec, counts, edges)  # the latest step wins
    if not chosen:
        if not steps:
            raise ValueError(
                f"records: no {kind!r} records (found kinds: {sorted(map(str, kinds))}); "
                "record them with ActivationStats or pass kind= one of those"
            )
        raise ValueError(
            f"step: no {kind!r} records at step {step}; recorded steps: {sorted(steps)}"
        )
    return chosen


def _summary(rec: Mapping[str, Any]) -> str:
    lines = []
    if rec.get("mean") is not None and rec.get("std") is not None:
        lines.append(f"mean {float(rec['mean']):.3g}, std {float(rec['std']):.3g}")
    for key, label in (("dead_fraction", "dead"), ("saturated_fraction", "saturated")):
        if rec.get(key) is not None:
            lines.append(f"{label} {float(rec[key]):.1%}")
    return ", ".join(lines)


def plot_activation_histograms(records: Sequence[Mapping[str, Any]],
                               path: str | Path | None = None, kind: str = "activation", *,
                               step: int | None = None, title: str | None = None,
                               sharex: bool = False) -> Figure:
    """One histogram panel per layer, at the latest recorded step (or at ``step``).

    With ``sharex`` every panel uses the same x range, so a distribution that shrinks
    layer after layer (collapse) or piles up at ±1 (saturation) is seen at a glance.

    Each panel is titled with the layer name and states the mean, the standard
    deviation and, when recorded, the fraction of dead ReLUs (a = 0) or of
    saturated sigmoid/tanh units. ``kind`` is 'activation' or 'gradient'.
    Saves to ``path`` (.png or .svg) when given; returns the Figure.
    """
    check("plot_activation_histograms", "kind", kind, _KINDS)
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Sequence):
        raise TypeError(
            "records: expected a list of dicts (ActivationStats records), "
            f"got {type(records).__name__}"
        )
    check("plot_activation_histograms", "step", step, optional(NON_NEGATIVE_INT))
    chosen = _select(records, kind, step)
    n = len(chosen)
    ncols = min(n, 4)
    nrows = math.ceil(n / ncols)
    fig = new_figure("plot_activation_histograms", (3.3 * ncols, 2.7 * nrows + 0.4))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=sharex).ravel()
    color = "C0" if kind == "activation" else "C3"
    for ax, (layer, (rec, counts, edges)) in zip(axes, chosen.items(), strict=False):
        ax.stairs(counts, edges, fill=True, color=color, alpha=0.75)
        ax.set_title(layer, fontsize=10)
        # the numbers go under the axis, where they never hide a spike of the histogram
        ax.set_xlabel("\n".join([f"{kind} value", _summary(rec)]).strip(), fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        ax.set_axis_off()
    steps = sorted({int(rec["step"]) for rec, _, _ in chosen.values()})
    at = f"step {steps[0]}" if len(steps) == 1 else f"latest step ({steps[0]}–{steps[-1]})"
    fig.suptitle(title or f"{kind} histograms per layer, {at}")
    return finish(fig, path)
