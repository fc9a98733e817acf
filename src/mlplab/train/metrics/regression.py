"""Regression metrics: MAE, MSE and R² on real-valued targets."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.train.metrics.labels import check_finite, check_pair


def _regression_pair(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray]:
    t, s = check_pair(y_true, y_score)
    # (n,) and (n, 1) are the same single target; anything else must match exactly
    t = t.reshape(len(t), -1).astype(np.float64)
    s = s.reshape(len(s), -1).astype(np.float64)
    if t.shape != s.shape:
        raise ValueError(
            f"y_true and y_score: expected the same shape, got {t.shape} and {s.shape} "
            "(after treating (n,) as (n, 1))"
        )
    check_finite(t, "y_true")
    check_finite(s, "y_score")
    return t, s


def mae(y_true: Any, y_score: Any) -> float:
    """Mean absolute error (1/n) Σ |yᵢ − ŷᵢ| (averaged over all outputs)."""
    t, s = _regression_pair(y_true, y_score)
    return float(np.mean(np.abs(t - s)))


def mse(y_true: Any, y_score: Any) -> float:
    """Mean squared error (1/n) Σ (yᵢ − ŷᵢ)² (averaged over all outputs)."""
    t, s = _regression_pair(y_true, y_score)
    return float(np.mean((t - s) ** 2))


def r2(y_true: Any, y_score: Any) -> float:
    """Coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², mean over outputs.

    1 is a perfect fit, 0 is no better than predicting the mean ȳ, and it can
    be negative. For a constant target (Σ(y − ȳ)² = 0) it is 1 for a perfect
    prediction and 0 otherwise, as scikit-learn's ``force_finite`` default.
    """
    t, s = _regression_pair(y_true, y_score)
    if len(t) < 2:
        raise ValueError("y_true: r2 needs at least two samples, got 1")
    ss_res = np.sum((t - s) ** 2, axis=0)
    ss_tot = np.sum((t - t.mean(axis=0)) ** 2, axis=0)
    ratio = np.divide(ss_res, ss_tot, out=np.zeros_like(ss_res), where=ss_tot > 0)
    per_output = np.where(ss_tot > 0, 1.0 - ratio, np.where(ss_res == 0, 1.0, 0.0))
    return float(per_output.mean())

