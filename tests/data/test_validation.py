"""Boundary checks: every user mistake gets one clear error naming the problem."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import mlplab.data.validation as data_validation
from mlplab import checks
from mlplab.checks import ParameterError, as_generator
from mlplab.data import DataLoader, gaussians, train_dev_test_split
from mlplab.data.validation import check_array, check_labels, check_X_y, surely_finite


def test_valid_input_passes_through_without_copy():
    X = np.ones((4, 3), dtype=np.float32)
    X2, y2 = check_X_y(X, [0, 1, 1, 0], classification=True)
    assert X2 is X
    assert y2.dtype == np.int64 and y2.tolist() == [0, 1, 1, 0]


def test_different_lengths_names_both_counts():
    with pytest.raises(ValueError, match=r"X has 4 rows, y has 3 rows"):
        check_X_y(np.zeros((4, 2)), np.zeros(3))


def test_empty_dataset():
    with pytest.raises(ValueError, match="empty"):
        check_X_y(np.zeros((0, 3)), np.zeros(0))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_reports_first_row_and_column(bad):
    X = np.zeros((5, 4))
    X[3, 2] = bad
    X[4, 0] = bad  # a later bad value must not be the one reported
    with pytest.raises(ValueError, match=r"row 3, column 2"):
        check_X_y(X)


def test_nonfinite_in_image_batch_reports_flat_column():
    X = np.zeros((2, 3, 3), dtype=np.float32)
    X[1, 2, 1] = np.nan  # flat column 2*3 + 1 = 7
    with pytest.raises(ValueError, match=r"row 1, column 7"):
        check_X_y(X, ensure_2d=False)


def test_huge_finite_values_are_not_flagged():
    # the fast path sums X; an overflowing sum must not be mistaken for inf
    X = np.full((4, 2), np.finfo(np.float32).max, dtype=np.float32)
    check_X_y(X)


def test_nonfinite_in_sparse_matrix_reports_position():
    X = sp.csr_matrix(np.array([[0, 1.0, 0], [0, 0, 0], [2.0, 0, np.nan]]))
    with pytest.raises(ValueError, match=r"row 2, column 2"):
        check_X_y(X)


def test_sparse_is_returned_as_csr():
    X, _ = check_X_y(sp.coo_matrix(np.eye(3)))
    assert X.format == "csr"


def test_sparse_can_be_refused():
    with pytest.raises(TypeError, match="toarray"):
        check_array(sp.csr_matrix(np.eye(2)), allow_sparse=False)


def test_1d_X_suggests_reshape():
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        check_X_y(np.arange(5.0))


def test_non_numeric_X():
    with pytest.raises(TypeError, match="numeric"):
        check_X_y(np.array([["a", "b"], ["c", "d"]]))


def test_ragged_X():
    with pytest.raises(ValueError, match="ragged"):
        check_X_y([[1.0, 2.0], [3.0]])


def test_labels_whole_floats_are_accepted():
    assert check_labels(np.array([0.0, 2.0, 1.0])).tolist() == [0, 2, 1]


def test_labels_column_vector_is_flattened():
    assert check_labels(np.array([[1], [0]])).tolist() == [1, 0]


@pytest.mark.parametrize(
    "y, match",
    [
        (np.array([0.5, 1.0]), "integer class ids"),
        (np.array(["cat", "dog"]), "integer class ids"),
        (np.array([0, -1]), ">= 0"),
        (np.zeros((3, 2)), "argmax"),
    ],
)
def test_bad_labels(y, match):
    with pytest.raises((TypeError, ValueError), match=match):
        check_labels(y)


def test_labels_out_of_range_for_model_width():
    with pytest.raises(ValueError, match=r"class id 10 is out of range for 10 classes"):
        check_X_y(np.zeros((3, 2)), [0, 10, 3], num_classes=10)


def test_regression_targets_may_be_float():
    _, y = check_X_y(np.zeros((2, 1)), [0.5, 1.5])
    assert y.dtype == np.float64
    with pytest.raises(ValueError, match="NaN"):
        check_X_y(np.zeros((2, 1)), [0.5, np.nan])


def test_data_validation_holds_only_data_checks():
    # scalar checks (seeds, counts, fractions) and is_sparse live once, in mlplab.checks
    for name in ("as_generator", "check_positive_int", "check_non_negative_int",
                 "check_fraction", "SeedLike"):
        assert not hasattr(data_validation, name)
    assert data_validation.is_sparse is checks.is_sparse


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True])
def test_data_seeds_are_checked_with_the_shared_vocabulary(bad):
    with pytest.raises(ParameterError, match=r"DataLoader: seed must be"):
        DataLoader(np.zeros((2, 1)), seed=bad)
    with pytest.raises(ParameterError, match=r"gaussians: seed must be"):
        gaussians(10, seed=bad)
    g = np.random.default_rng(1)
    assert as_generator(g) is g


@pytest.mark.parametrize("bad", [0, -2, 2.0, True, "32"])
def test_batch_size_must_be_a_positive_int(bad):
    with pytest.raises(ParameterError,
                       match=r"DataLoader: batch_size must be .*integer >= 1.*, got"):
        DataLoader(np.zeros((4, 1)), batch_size=bad)
    assert DataLoader(np.zeros((4, 1)), batch_size=None).batch_size == 4


@pytest.mark.parametrize("bad", [1.0, -0.1, float("nan"), "0.1"])
def test_split_fractions_are_in_zero_one(bad):
    with pytest.raises(ParameterError, match=r"train_dev_test_split: dev must be .*\[0, 1\)"):
        train_dev_test_split(np.zeros((10, 1)), dev=bad)


@pytest.mark.parametrize("rows", [1, 3, 40])  # 40 × 784 > 4096: the summed path
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_surely_finite_finds_every_non_finite_entry_and_no_false_alarm(rows, dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, 784)).astype(dtype)
    huge = np.finfo(dtype).max * 0.75  # Σ x² (and Σ x) overflow; every entry is finite
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning from the test itself
        assert surely_finite(X)
        for value in (np.nan, np.inf, -np.inf):
            for where in ((0, 0), (rows - 1, 783), (rows // 2, 391)):
                bad = X.copy()
                bad[where] = value
                assert not surely_finite(bad)
        big = X.copy()
        big[0, :2] = huge
        # a small X's Σ x² overflows and the exact test says True; a large X's sum
        # overflows and says False (its caller then runs the exact check)
        assert surely_finite(big) == (rows * 784 <= 4096)
