"""mlplab.checks: the one vocabulary every layer uses to reject a bad argument."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import mlplab.checks as checks
from mlplab.checks import ParameterError


def test_docstring_examples_run():
    assert doctest.testmod(checks).failed == 0


@pytest.mark.parametrize("constraint, good, bad", [
    (checks.POSITIVE_INT, [1, 7, np.int64(3)], [0, -1, 1.0, True, "2", None]),
    (checks.NON_NEGATIVE_INT, [0, 5], [-1, 0.5, False]),
    (checks.POSITIVE, [1e-9, 3, np.float32(2)], [0, -1, float("nan"), float("inf"), "1"]),
    (checks.FRACTION, [0, 0.5, 0.999], [1, -0.1, float("nan"), True]),
    (checks.PROBABILITY, [0, 1, 0.3], [1.01, -1e-9]),
    (checks.BOOLEAN, [True, False, np.bool_(True)], [0, 1, "True", None]),
    (checks.Pair(checks.FRACTION), [(0.9, 0.999), [0, 0.5]], [(0.9,), (0.9, 1.0), 0.9]),
    (checks.optional(checks.POSITIVE_INT), [None, 3], [0, "x"]),
    (checks.OneOf(("mean", "sum")), ["mean", "sum"], ["Mean", None, ["mean"], np.zeros(3)]),
])
def test_constraints_accept_and_reject(constraint, good, bad):
    assert all(constraint.ok(value) for value in good)
    assert not any(constraint.ok(value) for value in bad)


def test_message_names_owner_argument_value_and_a_fix():
    with pytest.raises(ParameterError) as info:
        checks.check("SGD", "lr", -0.1, checks.POSITIVE)
    assert str(info.value) == "SGD: lr must be a finite number > 0, got -0.1; e.g. lr=1e-3"


def test_parameter_error_is_both_value_and_type_error():
    with pytest.raises(ValueError):
        checks.check_positive_int("3", "epochs")
    with pytest.raises(TypeError):
        checks.check_positive_int("3", "epochs")


def test_a_near_miss_name_gets_did_you_mean():
    with pytest.raises(ParameterError, match=r"did you mean 'relu'\?"):
        checks.check_one_of("rleu", "activation", ["relu", "tanh", "sigmoid"], "Dense")
    err = checks.unknown("get_optimizer", "optimizer", "adma", ["adam", "sgd"])
    assert "did you mean 'adam'?" in str(err) and "valid: adam, sgd" in str(err)


def test_long_values_and_long_lists_are_cut():
    err = checks.invalid("f", "x", list(range(10_000)), checks.POSITIVE_INT)
    assert len(str(err)) < 200
    assert "array of shape (1000,)" in checks.shown(np.zeros(1000))
    many = checks.unknown("f", "class", "zz", [f"c{i}" for i in range(500)])
    assert len(str(many)) < 200 and str(many).endswith(", ...")


def test_unknown_option_in_a_table_is_an_error():
    table = {"lr": checks.POSITIVE}
    checks.check_all("Adam", {"lr": 0.1, "params": object()}, table)
    with pytest.raises(ParameterError, match="unknown option 'lrr'; did you mean 'lr'"):
        checks.check_all("Adam", {"lrr": 0.1}, table)


def test_seeds_become_generators():
    assert checks.as_generator(3).integers(100) == np.random.default_rng(3).integers(100)
    rng = np.random.default_rng(0)
    assert checks.as_generator(rng) is rng
    with pytest.raises(ParameterError, match="seed must be .*got -1"):
        checks.as_generator(-1)
    children = checks.spawn(0, 3)
    assert len({int(c.integers(1 << 30)) for c in children}) == 3


def test_is_sparse_without_importing_scipy_for_dense():
    from scipy import sparse

    assert checks.is_sparse(sparse.csr_matrix(np.eye(2)))
    assert not checks.is_sparse(np.eye(2))
