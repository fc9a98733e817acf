"""The array helpers of ``mlplab.backend`` that replace a NumPy call for speed give that
call's values bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.backend import positive_part, sum_columns, sum_rows

SPECIAL = [-0.0, 0.0, np.nan, -np.inf, np.inf, -1.0, 1.0, 1e-45, -1e-45, 3e38, -3e38]


def bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).view(np.uint8)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("shape", [(), (7,), (13, 517), (2, 3, 33), (4, 2, 1024), (5000,)])
def test_positive_part_is_maximum_with_zero_bit_for_bit(dtype, shape):
    rng = np.random.default_rng(len(shape))
    z = rng.standard_normal(shape).astype(dtype)
    if z.size > len(SPECIAL):
        with np.errstate(over="ignore"):  # ±3e38 is ±inf in float16
            z.reshape(-1)[:len(SPECIAL)] = np.array(SPECIAL).astype(dtype)  # NaN, −0, ±inf
    expected = np.maximum(z, 0)
    got = positive_part(z)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(bits(got), bits(expected))
    assert got is not z
    out = z.copy()
    assert positive_part(out, out=out) is out  # in place, as the training plan uses it
    np.testing.assert_array_equal(bits(out), bits(expected))


def test_positive_part_of_integers_and_its_shared_zero_row_cannot_be_written():
    z = np.array([[-3, 0, 5]])
    np.testing.assert_array_equal(positive_part(z), [[0, 0, 5]])
    positive_part(np.ones((2, 4096), np.float32))
    from mlplab.backend import _ZERO_ROWS

    row = _ZERO_ROWS[(4096, np.dtype(np.float32))]
    with pytest.raises(ValueError):
        row[0] = 1.0  # shared by every call of that width: read-only


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sums_over_one_axis_equal_numpys_sums(dtype):
    a = np.random.default_rng(0).standard_normal((37, 11)).astype(dtype)
    tol = 1e-5 if dtype == "float32" else 1e-12  # another order of additions: rounding
    np.testing.assert_allclose(sum_rows(a), a.sum(axis=0), rtol=tol, atol=tol)
    np.testing.assert_allclose(sum_columns(a), a.sum(axis=1), rtol=tol, atol=tol)
