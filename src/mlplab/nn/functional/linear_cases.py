"""Gradcheck inputs for the primitives of ``linear.py`` (the affine map and Maxout's max).

Registered with ``mlplab.autograd.gradcheck_cases`` when ``mlplab.nn.functional``
is imported.
"""

from __future__ import annotations

from mlplab.autograd.gradcheck_cases import add_cases
from mlplab.nn.functional.linear import linear_no_bias_op, linear_op, max_pieces_op

add_cases("linear", [
    ("X(5, 3) W(4, 3) b(4,)", linear_op, [((5, 3), "normal"), ((4, 3), "normal"),
                                          ((4,), "normal")]),
    ("X(2, 5, 3) W(4, 3) b(4,)", linear_op, [((2, 5, 3), "normal"), ((4, 3), "normal"),
                                             ((4,), "normal")]),
    ("x(3,) W(4, 3) b(4,)", linear_op, [((3,), "normal"), ((4, 3), "normal"), ((4,), "normal")]),
])
add_cases("linear_no_bias", [
    ("X(5, 3) W(4, 3)", linear_no_bias_op, [((5, 3), "normal"), ((4, 3), "normal")]),
])
add_cases("max_pieces", [
    ("(3, 6), 3 pieces", lambda z: max_pieces_op(z, pieces=3), [((3, 6), "normal")]),
    ("(2, 2, 4), 2 pieces", lambda z: max_pieces_op(z, pieces=2), [((2, 2, 4), "normal")]),
])
