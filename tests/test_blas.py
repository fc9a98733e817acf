"""``mlplab.blas``: GEMM and AXPY in NumPy's own BLAS, checked against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab.blas as blas_module

pytestmark = pytest.mark.skipif(not blas_module._library_paths(),
                                reason="this NumPy bundles no OpenBLAS (built with another BLAS)")


@pytest.fixture(scope="module")
def blas():
    found = blas_module.blas()
    assert found is not None, "NumPy's bundled OpenBLAS was not reached"
    return found


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("trans_a", [False, True])
@pytest.mark.parametrize("trans_b", [False, True])
@pytest.mark.parametrize("alpha,beta", [(1.0, 0.0), (-0.3, 1.0), (0.7, 0.9)])
def test_gemm_equals_numpy(blas, dtype, trans_a, trans_b, alpha, beta):
    rng = np.random.default_rng(0)
    m, k, n = 7, 5, 9
    a = rng.standard_normal((k, m) if trans_a else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if trans_b else (k, n)).astype(dtype)
    out = rng.standard_normal((m, n)).astype(dtype)
    expected = alpha * ((a.T if trans_a else a) @ (b.T if trans_b else b)) + beta * out
    blas.gemm(a, b, out, trans_a=trans_a, trans_b=trans_b, alpha=alpha, beta=beta)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(out, expected, rtol=rtol, atol=rtol)


def test_gemm_with_beta_zero_never_reads_the_output(blas):
    # the first momentum step lands in np.empty memory, which may hold NaN
    rng = np.random.default_rng(1)
    a, b = (rng.standard_normal((6, 4)).astype("float32") for _ in range(2))
    out = np.full((4, 4), np.nan, dtype="float32")
    blas.gemm(a, b, out, trans_a=True)
    np.testing.assert_array_equal(out, a.T @ b)  # the very product np.matmul computes


def test_axpy(blas):
    x = np.arange(6, dtype="float64").reshape(2, 3)
    y = np.ones((2, 3))
    blas.axpy(-0.5, x, y)
    np.testing.assert_allclose(y, 1 - 0.5 * x, rtol=0, atol=0)


@pytest.mark.parametrize("case", ["shapes", "dtype", "layout", "read-only"])
def test_gemm_refuses_what_it_cannot_compute_with_one_line(blas, case):
    a, b = np.ones((3, 4), "float32"), np.ones((4, 5), "float32")
    out = np.zeros((3, 5), "float32")
    if case == "shapes":
        b = np.ones((3, 5), "float32")
    elif case == "dtype":
        out = np.zeros((3, 5), "float64")
    elif case == "layout":
        out = np.zeros((5, 3), "float32").T
    else:
        out.flags.writeable = False
    with pytest.raises(ValueError, match=r"^gemm: .*C-contiguous") as err:
        blas.gemm(a, b, out)
    assert "\n" not in str(err.value)


def test_axpy_refuses_mismatched_arrays(blas):
    with pytest.raises(ValueError, match="axpy: x .* must have one shape"):
        blas.axpy(1.0, np.ones(3), np.ones(4))


def test_switched_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("MLPLAB_BLAS", "0")
    assert blas_module._find() is None
