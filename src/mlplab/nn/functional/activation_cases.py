"""Gradcheck inputs for the activation primitives of ``activation.py``.

Registered with ``mlplab.autograd.gradcheck_cases`` when ``mlplab.nn.functional``
is imported; ``mlplab gradcheck`` and the tests check each against central
differences. Inputs stay |z| ≥ 0.2 away from the kink at 0.
"""

from __future__ import annotations

from mlplab.autograd.gradcheck_cases import add_cases
from mlplab.backend import xp
from mlplab.nn.functional.activation import elu_op, leaky_relu_op, prelu_op

_SLOPES = xp.random.default_rng(0).uniform(1 / 8, 1 / 3, (3, 4))  # fixed RReLU-like slopes

add_cases("leaky_relu", [
    ("slope 0.1, |z| >= 0.2", lambda z: leaky_relu_op(z, slope=0.1), [((3, 4), "away_from_zero")]),
    ("slope 1.5", lambda z: leaky_relu_op(z, slope=1.5), [((3, 4), "away_from_zero")]),
    ("per-element slopes (RReLU)", lambda z: leaky_relu_op(z, slope=_SLOPES),
     [((3, 4), "away_from_zero")]),
])
add_cases("prelu", [
    ("(3, 4), one slope", prelu_op, [((3, 4), "away_from_zero"), ((1,), "positive")]),
    ("(2, 3, 2), a slope per channel", prelu_op,
     [((2, 3, 2), "away_from_zero"), ((3,), "positive")]),
])
add_cases("elu", [
    ("alpha 0.7, |z| >= 0.2", lambda z: elu_op(z, alpha=0.7), [((3, 4), "away_from_zero")]),
    ("alpha 1, z in [-6, 6]", lambda z: elu_op(z, alpha=1.0), [((3, 4), "wide")]),
])
