"""Gradcheck inputs for the fused cross-entropy primitives of ``cross_entropy.py``.

Registered with ``mlplab.autograd.gradcheck_cases`` when ``mlplab.nn.functional``
is imported. Probabilities are kept in (0.05, 0.95), away from log 0.
"""

from __future__ import annotations

from mlplab.autograd.gradcheck_cases import add_cases
from mlplab.backend import xp
from mlplab.nn.functional.cross_entropy import (
    binary_cross_entropy_op,
    binary_cross_entropy_with_logits_op,
    softmax_cross_entropy_index_op,
    softmax_cross_entropy_op,
)

_TARGETS = xp.array([3, 0, 4, 4])
_POS_WEIGHT = xp.array([0.5, 2.0, 3.0, 1.0])


def _probability(rng, shape):
    return rng.uniform(0.05, 0.95, shape)


add_cases("softmax_cross_entropy_index", [
    (f"logits (4, 5), targets {_TARGETS.tolist()}, {reduction}",
     lambda z, reduction=reduction: softmax_cross_entropy_index_op(
         z, target=_TARGETS, reduction=reduction), [((4, 5), "normal")])
    for reduction in ("mean", "sum", "none")
])
add_cases("softmax_cross_entropy", [
    ("logits (4, 5), target weights (4, 5)", softmax_cross_entropy_op,
     [((4, 5), "normal"), ((4, 5), "positive")]),
])
add_cases("binary_cross_entropy", [
    ("p (3, 4) in (0.05, 0.95), y (3, 4)", binary_cross_entropy_op,
     [((3, 4), _probability), ((3, 4), _probability)]),
])
add_cases("binary_cross_entropy_with_logits", [
    ("z (3, 4) in [-6, 6], y (3, 4)", binary_cross_entropy_with_logits_op,
     [((3, 4), "wide"), ((3, 4), _probability)]),
    ("with pos_weight", lambda z, y: binary_cross_entropy_with_logits_op(
        z, y, pos_weight=_POS_WEIGHT), [((3, 4), "normal"), ((3, 4), _probability)]),
])
