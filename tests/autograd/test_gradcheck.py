"""gradcheck: every registered primitive passes it in float64, and it catches wrong rules."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

import mlplab as ml
from mlplab.autograd import REGISTRY, Primitive
from mlplab.autograd.gradcheck import GradcheckError, verdict
from mlplab.autograd.gradcheck_cases import CASES, add_cases, cases

ALL_CASES = cases(seed=0)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_registered_primitive_passes_gradcheck(name):
    """A primitive is covered by being registered: no inputs declared is a failure."""
    mine = [c for c in ALL_CASES if c.primitive == name]
    if not mine:
        pytest.fail(f"primitive {name!r} has no gradcheck inputs; declare them with "
                    "mlplab.autograd.gradcheck_cases.add_cases in a *_cases.py module "
                    "beside the primitive")
    for case in mine:
        result = ml.gradcheck(case.fn, *case.inputs)
        assert result.ok, f"{name} {case.label}\n{result.report()}"
        assert result.max_relative_error < 1e-7, result.report()  # the notes' "great"


def test_cases_cover_broadcasting():
    binary = [c for c in ALL_CASES if len(c.inputs) == 2 and c.primitive in
              ("add", "sub", "mul", "div", "pow", "maximum", "minimum", "matmul")]
    assert any(c.inputs[0].shape != c.inputs[1].shape for c in binary)
    for name in ("add", "sub", "mul", "div", "maximum", "minimum", "matmul"):
        assert any(c.inputs[0].ndim != c.inputs[1].ndim or c.inputs[0].shape != c.inputs[1].shape
                   for c in binary if c.primitive == name), name


@pytest.fixture
def wrong_square():
    """A throwaway primitive whose VJP forgets the factor 2 of (x²)′ = 2x."""
    name = f"test_wrong_square_{uuid.uuid4().hex[:8]}"
    prim = Primitive(name, forward=lambda x: x * x, vjps=(lambda g, out, x: g * x,),
                     jvp=lambda t, out, x: 2 * x * t[0])
    yield prim
    REGISTRY.pop(name, None)
    CASES.pop(name, None)


def test_detects_a_wrong_vjp(wrong_square):
    x = ml.tensor([0.5, -1.5, 2.0], dtype="float64", requires_grad=True, name="x")
    result = ml.gradcheck(lambda t: wrong_square(t).sum(), x)  # scalar: v = 1
    assert not result.ok and not bool(result)
    # analytic x vs numeric 2x: ‖2x − x‖ / (‖2x‖ + ‖x‖) = 1/3
    assert result.max_relative_error == pytest.approx(1 / 3, rel=1e-6)
    assert result.inputs[0].verdict == "wrong"
    report = result.report()
    assert "FAILED" in report and "input 0 'x'" in report
    # the worst element is x = 2.0 (index 2): analytic 2, numeric 4
    assert result.worst.worst_index == (2,)
    assert "analytic 2," in report and "numeric 4" in report
    with pytest.raises(GradcheckError, match="FAILED"):
        ml.gradcheck(lambda t: wrong_square(t), x, raise_exception=True)


def test_vector_output_is_checked_through_random_cotangent(wrong_square):
    # The wrong rule hides nowhere: a vector-valued fn is checked via ⟨v, f⟩.
    x = ml.tensor(np.linspace(0.5, 2.0, 6), dtype="float64", requires_grad=True)
    assert not ml.gradcheck(lambda t: wrong_square(t).reshape(2, 3), x).ok
    assert ml.gradcheck(lambda t: (t * t).reshape(2, 3), x).ok


def test_wrong_primitive_is_reported_by_the_registry_walk(wrong_square):
    add_cases(wrong_square.name, [("(4,)", wrong_square, [((4,), "positive")])])
    mine = [c for c in cases() if c.primitive == wrong_square.name]
    assert len(mine) == 1
    assert not ml.gradcheck(mine[0].fn, *mine[0].inputs).ok


def test_refuses_float32_and_explains_why():
    x = ml.tensor([1.0, 2.0])  # float32 by default
    with pytest.raises(TypeError, match="float64"):
        ml.gradcheck(lambda t: t * t, x)
    with pytest.raises(TypeError, match="round"):
        ml.gradcheck(lambda t: t * t, x)
    # allowed on request, with a step that float32 can resolve
    result = ml.gradcheck(lambda t: (t * t).sum(), x, eps=1e-2, rtol=1e-2, allow_float32=True)
    assert result.ok


def test_scalar_output_reports_the_plain_gradient():
    x = ml.tensor(3.0, dtype="float64", requires_grad=True)
    result = ml.gradcheck(lambda t: t * t * t, x)
    assert result.ok
    assert float(result.inputs[0].analytic) == pytest.approx(27.0)
    assert float(result.inputs[0].numeric) == pytest.approx(27.0, rel=1e-8)


def test_checks_only_inputs_that_require_grad_when_some_do():
    a = ml.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    b = ml.tensor([3.0, 4.0], dtype="float64")
    result = ml.gradcheck(lambda a, b: a * b, a, b)
    assert [c.position for c in result.inputs] == [0]
    # none requires grad: every floating input is checked; ints are passed through
    result = ml.gradcheck(lambda a, b, n: a * b * n, np.array([1.0, 2.0]), np.array([3.0, 4.0]),
                          2)
    assert [c.position for c in result.inputs] == [0, 1]


def test_refuses_a_random_function():
    rng = np.random.default_rng(0)
    x = ml.tensor([1.0, 2.0], dtype="float64", requires_grad=True)
    with pytest.raises(ValueError, match="deterministic"):
        ml.gradcheck(lambda t: t * float(rng.uniform()), x)


def test_verdict_follows_the_notes_thresholds():
    assert verdict(1e-9) == "great"
    assert verdict(1e-5) == "check"
    assert verdict(1e-2) == "wrong"
    assert verdict(float("nan")) == "wrong"


def test_kink_within_eps_is_not_great():
    # |x| at x = 1e-7: the two-sided difference straddles the kink (numeric ≈ 0.1, analytic 1)
    x = ml.tensor([1e-7], dtype="float64", requires_grad=True)
    result = ml.gradcheck(lambda t: t.abs(), x)
    assert not result.ok
