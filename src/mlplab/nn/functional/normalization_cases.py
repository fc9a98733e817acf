"""Gradcheck inputs for batch and layer normalization (``normalization.py``).

Registered with ``mlplab.autograd.gradcheck_cases`` when ``mlplab.nn.functional``
is imported. Evaluation mode is checked with fixed running statistics.
"""

from __future__ import annotations

from mlplab.autograd.gradcheck_cases import add_cases
from mlplab.backend import xp
from mlplab.nn.functional.normalization import Saved, batch_norm_op, layer_norm_op

_RUNNING_MEAN = xp.random.default_rng(0).standard_normal((1, 4))
_RUNNING_VAR = xp.random.default_rng(1).uniform(0.5, 2.0, (1, 4))

add_cases("batch_norm", [
    ("training (5, 4)", lambda x, w, b: batch_norm_op(
        x, w, b, axes=(0,), eps=1e-5, affine_shape=(4,), saved=Saved()),
     [((5, 4), "normal"), ((4,), "normal"), ((4,), "normal")]),
    ("training (3, 2, 4)", lambda x, w, b: batch_norm_op(
        x, w, b, axes=(0, 2), eps=1e-5, affine_shape=(2, 1), saved=Saved()),
     [((3, 2, 4), "normal"), ((2,), "normal"), ((2,), "normal")]),
    ("evaluation (5, 4), running statistics", lambda x, w, b: batch_norm_op(
        x, w, b, axes=(0,), eps=1e-5, affine_shape=(4,), mean=_RUNNING_MEAN, var=_RUNNING_VAR),
     [((5, 4), "normal"), ((4,), "normal"), ((4,), "normal")]),
])
add_cases("layer_norm", [
    ("(3, 4) over the last axis", lambda x, w, b: layer_norm_op(
        x, w, b, axes=(1,), eps=1e-5, affine_shape=(4,), saved=Saved()),
     [((3, 4), "normal"), ((4,), "normal"), ((4,), "normal")]),
    ("(2, 2, 3) over the last two axes", lambda x, w, b: layer_norm_op(
        x, w, b, axes=(1, 2), eps=1e-5, affine_shape=(2, 3), saved=Saved()),
     [((2, 2, 3), "normal"), ((2, 3), "normal"), ((2, 3), "normal")]),
])
