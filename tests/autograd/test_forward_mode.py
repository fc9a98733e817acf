"""Forward mode against reverse mode: ⟨v, J u⟩ from the JVP equals ⟨Jᵀ v, u⟩ from the VJP.

Both sides are computed by independent rules (each primitive's JVP and its VJPs),
so the identity checks one against the other for any direction u and cotangent v.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mlplab as ml
from mlplab.autograd import REGISTRY, ops
from mlplab.autograd.gradcheck_cases import cases
from tests.autograd import expr_trees


def _both_sides(fn, arrays, seed):
    rng = np.random.default_rng(seed)
    xs = [ml.tensor(a, dtype="float64") for a in arrays]
    us = [rng.standard_normal(a.shape) for a in arrays]
    out, j_u = ml.jvp(fn, xs, us)
    v = rng.standard_normal(out.shape)
    out2, jt_v = ml.vjp(fn, xs, v)
    np.testing.assert_array_equal(out.data, out2.data)
    forward = float(np.sum(v * j_u.data))
    reverse = float(sum(np.sum(g.data * u) for g, u in zip(jt_v, us, strict=True)))
    return forward, reverse


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_jvp_and_vjp_agree_on_random_expressions(data):
    n_inputs = data.draw(st.integers(1, 3), label="n_inputs")
    tree = data.draw(expr_trees.trees(n_inputs), label="tree")
    shapes = data.draw(expr_trees.broadcast_shapes(n_inputs), label="shapes")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    forward, reverse = _both_sides(expr_trees.mlplab_function(tree),
                                   expr_trees.arrays(shapes, seed), seed)
    assert forward == pytest.approx(reverse, rel=1e-10, abs=1e-12), tree


CORE_PRIMITIVES = sorted(getattr(ops, name).name for name in ops.__all__)
WITH_JVP = [c for c in cases(seed=1) if REGISTRY[c.primitive].jvp is not None]


def test_every_core_primitive_has_a_forward_rule():
    assert [name for name in CORE_PRIMITIVES if REGISTRY[name].jvp is None] == []
    assert set(CORE_PRIMITIVES) <= {c.primitive for c in WITH_JVP}


@pytest.mark.parametrize("case", WITH_JVP, ids=[f"{c.primitive}: {c.label}" for c in WITH_JVP])
def test_jvp_and_vjp_agree_on_every_primitive_case(case):
    forward, reverse = _both_sides(case.fn, list(case.inputs), seed=3)
    assert forward == pytest.approx(reverse, rel=1e-10, abs=1e-12)


def test_jvp_matches_a_known_derivative_and_keeps_structure():
    out, tangent = ml.jvp(lambda x: (x ** 3).sum(), ml.tensor([1.0, 2.0], dtype="float64"),
                          ml.tensor([1.0, 0.5], dtype="float64"))
    assert float(out) == 9.0
    assert float(tangent) == pytest.approx(3 * 1 + 3 * 4 * 0.5)  # Σ 3x²·u
    outs, tangents = ml.jvp(lambda a, b: (a * b, a + b), (2.0, 3.0), (1.0, 0.0))
    assert [float(o) for o in outs] == [6.0, 5.0]
    assert [float(t) for t in tangents] == [3.0, 1.0]
    with pytest.raises(ValueError, match="tangent"):
        ml.jvp(lambda a: a, ml.tensor([1.0, 2.0]), ml.tensor([1.0]))
