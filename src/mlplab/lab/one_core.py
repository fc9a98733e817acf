"""Timing on one core: the lab's cost measurements run with BLAS limited to one thread."""

from __future__ import annotations

import contextlib


def one_core() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread where ``threadpoolctl`` is installed (it comes with
    scikit-learn); otherwise do nothing. On a busy machine a multithreaded matrix
    product waits for free cores, and its timing then measures the queue."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1)
