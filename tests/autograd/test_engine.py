"""Reverse-mode engine behaviour: deep graphs, accumulation, no_grad, dtypes, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

import mlplab as ml
from mlplab.autograd import ShapeError


def test_ten_thousand_deep_chain_backpropagates_without_recursion():
    # y = x · 1.0001^10000, so dy/dx = 1.0001^10000 = e^(10000·ln 1.0001) ≈ 2.718
    x = ml.tensor(1.0, dtype="float64", requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    expected = math.exp(10_000 * math.log1p(1e-4))
    assert float(x.grad) == pytest.approx(expected, rel=1e-9)
    assert float(y) == pytest.approx(expected, rel=1e-9)
    assert len(ml.graph.nodes(y)) == 20_001  # x, 10,000 constants, 10,000 products
    assert ml.graph.to_dot(y).count("->") == 30_000


def test_gradients_accumulate_across_backward_calls_like_pytorch():
    x = ml.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    f = (x * x).sum()  # ∂f/∂x = 2x; x is used twice in one node: both uses count
    f.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    f.backward()  # the graph is kept: a second call adds the same gradient again
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    (3 * x).sum().backward()  # another function adds its own
    np.testing.assert_array_equal(x.grad, [7.0, 11.0])
    x.zero_grad()
    (3 * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_grad_arrays_are_owned_and_not_shared():
    x = ml.tensor([1.0, 2.0], requires_grad=True)
    y = ml.tensor([3.0, 4.0], requires_grad=True)
    (x + y).sum().backward()  # both gradients start from the same upstream array
    x.grad += 1.0  # an in-place update of one must not touch the other
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])
    # a full view (a transpose) of the same fresh gradient must not be shared either
    a = ml.tensor(np.ones((2, 2)), requires_grad=True)
    b = ml.tensor(np.ones((2, 2)), requires_grad=True)
    ((a.T + b) * np.array([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    np.testing.assert_array_equal(a.grad, [[1.0, 3.0], [2.0, 4.0]])
    a.grad += 10.0
    np.testing.assert_array_equal(b.grad, [[1.0, 2.0], [3.0, 4.0]])
    w = ml.tensor(np.ones((3, 2)), requires_grad=True)  # X @ W.T: W's grad is contiguous
    (ml.tensor(np.ones((4, 2))) @ w.T).sum().backward()
    assert w.grad.flags.c_contiguous and w.grad.flags.writeable
    np.testing.assert_array_equal(w.grad, np.full((3, 2), 4.0))
    v = np.array([1.0, 1.0], dtype=np.float32)
    z = ml.tensor([5.0, 6.0], requires_grad=True)
    z.backward(v)
    z.grad += 1
    np.testing.assert_array_equal(v, [1.0, 1.0])


def test_no_grad_records_nothing():
    w = ml.tensor([1.0, 2.0], requires_grad=True)
    with ml.no_grad():
        y = (w * 2).sum()
        assert not ml.autograd.is_grad_enabled()
        with ml.enable_grad():
            z = (w * 2).sum()
    assert ml.autograd.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf and y._inputs == ()
    assert z.requires_grad and not z.is_leaf
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        y.backward()

    @ml.no_grad()
    def predict(t):
        return t * 3

    assert not predict(w).requires_grad


def test_float32_by_default_float64_on_request():
    assert ml.tensor(2.0).dtype == np.float32
    assert ml.tensor([1, 2]).dtype == np.float32  # Python numbers get the default float
    assert ml.tensor(np.array([1.0])).dtype == np.float64  # NumPy arrays keep theirs
    assert ml.tensor([1.0], dtype="float64").dtype == np.float64
    assert ml.tensor([1.0], dtype=np.float64).dtype == np.float64
    x = ml.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2.5 + 1).exp().sum()  # Python numbers follow the tensor's dtype
    y.backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32
    saved = ml.get_default_dtype()
    try:
        ml.set_default_dtype("float64")
        assert ml.tensor(2.0).dtype == np.float64
        with ml.default_dtype("float32"):
            assert ml.tensor(2.0).dtype == np.float32
        assert ml.tensor(2.0).dtype == np.float64
    finally:
        ml.set_default_dtype(saved)
    assert ml.tensor(2.0).dtype == np.float32
    with pytest.raises(TypeError, match="floating"):
        ml.set_default_dtype("int32")


def test_comparisons_are_not_differentiable():
    x = ml.tensor([1.0, -2.0], requires_grad=True)
    mask = x > 0
    assert not mask.requires_grad and mask.dtype == bool
    np.testing.assert_array_equal(mask.data, [True, False])


def test_matmul_shape_error_names_both_shapes_and_the_op():
    a = ml.tensor(np.ones((32, 5)))
    b = ml.tensor(np.ones((3, 4)))
    with pytest.raises(ShapeError) as info:
        a @ b
    assert str(info.value) == "matmul: (32, 5) @ (3, 4) — inner dimensions 5 and 3 differ"
    assert isinstance(info.value, ValueError)
    with pytest.raises(ShapeError, match=r"add: inputs of shapes \(2, 3\) and \(4,\)"):
        ml.tensor(np.ones((2, 3))) + ml.tensor(np.ones(4))


def test_backward_on_a_non_scalar_explains_what_to_pass():
    x = ml.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"needs grad=.*loss\.sum\(\)"):
        (x * 2).backward()
    with pytest.raises(ValueError, match=r"grad has shape \(3,\)"):
        (x * 2).backward(np.ones(3))


@pytest.mark.parametrize("data", [np.array([1, 2]), np.array([True]), np.array(["a"])])
def test_non_float_data_cannot_require_grad(data):
    with pytest.raises(TypeError, match="dtype='float32' or 'float64'"):
        ml.tensor(data, requires_grad=True)


def test_retain_grads_marks_intermediates_only():
    x = ml.tensor(3.0, requires_grad=True)
    h = x * x
    f = ml.graph.retain_grads(h.exp())
    f.backward()
    assert float(h.grad) == pytest.approx(math.exp(9.0), rel=1e-6)  # ∂f/∂h = eʰ
    assert float(x.grad) == pytest.approx(6 * math.exp(9.0), rel=1e-6)


def test_backward_sweep_waits_for_every_consumer_of_a_node():
    # a diamond whose branches have different lengths: x feeds y directly and through
    # three more ops, so x's gradient is complete only after the long branch is swept
    x = ml.tensor(1.5, dtype="float64", requires_grad=True)
    a = x * 2.0
    long_branch = ((a + 1.0) * a).exp()
    f = long_branch + a * x
    f.backward()
    # f = e^{(2x+1)2x} + 2x²;  df/dx = e^{4x²+2x}(8x + 2) + 4x
    expected = math.exp(4 * 1.5**2 + 3.0) * (8 * 1.5 + 2) + 4 * 1.5
    assert float(x.grad) == pytest.approx(expected, rel=1e-12)


def test_a_primitive_with_a_residual_keeps_it_for_backward_only():
    from mlplab.autograd.primitive import Primitive

    calls = []

    def forward(x):
        calls.append("forward")
        e = np.exp(x)
        return e.sum(), e  # out, residual: eˣ, reused by the VJP

    def vjp(g, out, x, residual):
        calls.append("vjp")
        return g * residual

    op = Primitive("test_sum_exp_keeping_exp", forward=forward, vjps=(vjp,),
                   jvp=lambda t, out, x, residual: (t[0] * residual).sum(), residual=True)
    try:
        x = ml.tensor([0.0, 1.0, 2.0], dtype="float64", requires_grad=True)
        y = op(x)
        assert float(y) == pytest.approx(np.exp([0.0, 1.0, 2.0]).sum())
        y.backward()
        y.backward()  # the residual is read, never consumed: a second sweep adds the same
        np.testing.assert_allclose(x.grad, 2 * np.exp([0.0, 1.0, 2.0]))
        assert calls == ["forward", "vjp", "vjp"]
        assert ml.graph.op_label(y) == "test_sum_exp_keeping_exp"  # the residual is not a parameter
        with ml.no_grad():
            z = op(x)
        assert z._params is None  # nothing kept when no graph is recorded
        _, dy = ml.autograd.jvp(op, x, np.ones(3))
        assert float(dy) == pytest.approx(np.exp([0.0, 1.0, 2.0]).sum())
    finally:
        from mlplab.autograd.primitive import REGISTRY

        REGISTRY.pop("test_sum_exp_keeping_exp", None)
