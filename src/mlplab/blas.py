"""Two BLAS routines NumPy does not expose, called in the very library NumPy links.

``np.matmul`` computes C = A B into a fresh or given array; BLAS's GEMM computes
C := α·op(A)·op(B) + β·C, which lets a product land on top of what C holds. A training
step needs exactly that: momentum's velocity update v := μ v + dW with dW = dZᵀ A_prev
is one GEMM with β = μ, instead of a product into a gradient array and two more passes
over a parameter-sized array; and AXPY, y := α x + y, is the descent step W := W − α v
in one pass where NumPy needs two (a product into a temporary, then a subtraction).

NumPy's wheels ship OpenBLAS (``numpy.libs/`` on Linux and Windows, ``numpy/.dylibs/`` on
macOS) with its C interface under prefixed names; ``ctypes`` reaches it with nothing to
install, and the thread pool, thread limits (threadpoolctl) and numbers are NumPy's own.
Where no such library is found (NumPy built against another BLAS), or its answer to a
small self-test differs from ``np.matmul``, or ``MLPLAB_BLAS=0`` is set, ``blas()``
returns None and callers keep their NumPy path. Results equal the NumPy path's up to
float rounding: the product's sums are the same, the scaling and the addition round
once fewer times.
"""

from __future__ import annotations

import ctypes
import glob
import os
from typing import Any

import numpy

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112

# (prefix, suffix, integer type): NumPy >= 2 wheels (scipy-openblas, 64-bit integers),
# NumPy 1.x wheels (openblas64_), then a plain LP64 CBLAS.
_NAMINGS = (("scipy_cblas_", "64_", ctypes.c_int64), ("cblas_", "64_", ctypes.c_int64),
            ("cblas_", "", ctypes.c_int))


def _library_paths() -> list[str]:
    """Candidate BLAS libraries bundled with the installed NumPy."""
    here = os.path.dirname(numpy.__file__)
    patterns = [os.path.join(here, os.pardir, "numpy.libs", "*openblas*"),
                os.path.join(here, ".dylibs", "*openblas*")]
    return sorted(p for pattern in patterns for p in glob.glob(pattern))


class Blas:
    """GEMM and AXPY for C-contiguous float32 / float64 arrays (``gemm``, ``axpy``)."""

    def __init__(self, lib: Any, prefix: str, suffix: str, integer: Any) -> None:
        p, i = ctypes.c_void_p, integer
        self._gemm, self._axpy = {}, {}
        for letter, real, dtype in (("s", ctypes.c_float, "float32"),
                                    ("d", ctypes.c_double, "float64")):
            gemm = getattr(lib, f"{prefix}{letter}gemm{suffix}")
            gemm.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, i, i, i, real, p, i,
                             p, i, real, p, i]
            gemm.restype = None
            axpy = getattr(lib, f"{prefix}{letter}axpy{suffix}")
            axpy.argtypes = [i, real, p, i, p, i]
            axpy.restype = None
            self._gemm[numpy.dtype(dtype)], self._axpy[numpy.dtype(dtype)] = gemm, axpy

    def takes(self, *arrays: Any) -> bool:
        """True when every array is a C-contiguous ndarray of one dtype BLAS handles here."""
        dtype = arrays[0].dtype
        return dtype in self._gemm and all(
            type(a) is numpy.ndarray and a.dtype == dtype and a.flags.c_contiguous
            for a in arrays)

    def gemm(self, a: Any, b: Any, out: Any, *, trans_a: bool = False,
             trans_b: bool = False, alpha: float = 1.0, beta: float = 0.0) -> None:
        """out := α·op(a)·op(b) + β·out, op(x) = xᵀ where ``trans_x``; β = 0 ignores out.

        All three arrays 2-D, C-contiguous, of one dtype (``takes``); out writeable.
        """
        m, k = (a.shape[1], a.shape[0]) if trans_a else a.shape
        k2, n = (b.shape[1], b.shape[0]) if trans_b else b.shape
        if k != k2 or out.shape != (m, n) or not out.flags.writeable or not self.takes(a, b, out):
            raise ValueError(f"gemm: op(a) {m}x{k} times op(b) {k2}x{n} does not fit out "
                             f"{out.shape}, or the arrays are not C-contiguous of one dtype")
        self._gemm[out.dtype](_ROW_MAJOR, _TRANS if trans_a else _NO_TRANS,
                              _TRANS if trans_b else _NO_TRANS, m, n, k, alpha,
                              a.ctypes.data, a.shape[1], b.ctypes.data, b.shape[1], beta,
                              out.ctypes.data, n)

    def axpy(self, alpha: float, x: Any, y: Any) -> None:
        """y := α·x + y, in one pass (x and y of one shape, C-contiguous, y writeable)."""
        if x.shape != y.shape or not y.flags.writeable or not self.takes(x, y):
            raise ValueError(f"axpy: x {x.shape} and y {y.shape} must have one shape and "
                             "be C-contiguous of one dtype")
        self._axpy[y.dtype](y.size, alpha, x.ctypes.data, 1, y.ctypes.data, 1)


def _agrees(found: Blas) -> bool:
    """A small product and update, checked against NumPy (a wrong library answers wrongly)."""
    rng = numpy.random.default_rng(0)
    for dtype in ("float32", "float64"):
        a, b = rng.standard_normal((5, 3)).astype(dtype), rng.standard_normal((5, 4)).astype(dtype)
        c = rng.standard_normal((3, 4)).astype(dtype)
        expected = 0.5 * (a.T @ b) + 0.25 * c
        found.gemm(a, b, c, trans_a=True, alpha=0.5, beta=0.25)
        y, x = numpy.ones(7, dtype), numpy.arange(7, dtype=dtype)
        found.axpy(-2.0, x, y)
        if not (numpy.allclose(c, expected, rtol=1e-5) and numpy.allclose(y, 1 - 2 * x)):
            return False
    return True


def _find() -> Blas | None:
    if os.environ.get("MLPLAB_BLAS", "1") == "0":
        return None
    for path in _library_paths():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix, integer in _NAMINGS:
            try:
                found = Blas(lib, prefix, suffix, integer)
            except AttributeError:
                continue
            return found if _agrees(found) else None
    return None


_FOUND: list[Blas | None] = []


def blas() -> Blas | None:
    """NumPy's own BLAS (found once), or None where it cannot be reached."""
    if not _FOUND:
        _FOUND.append(_find())
    return _FOUND[0]
