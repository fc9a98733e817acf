"""Splits and input scaling, fitted on the training split only.

*Normalizing inputs* scales each input feature in two steps,

    μ = (1/m) Σᵢ x⁽ⁱ⁾,  x := x − μ          (zero mean)
    σ² = (1/m) Σᵢ (x⁽ⁱ⁾)²,  x := x / σ      (unit variance, after centring)

so the cost surface is round rather than a long thin valley and gradient
descent can take larger steps. μ and σ come from the **training set only** and
the same values are applied to dev, test and every later prediction:
statistics taken from the test set would leak it into training, and
inputs scaled differently at prediction time would not match what the network
learned. :class:`Standardizer` does exactly this; :class:`MinMaxScaler` maps
each feature to a fixed range instead. Both save to plain JSON-able dicts
(``to_dict``/``from_dict``) so a model file can carry them without pickle.

The splits (:func:`train_dev_test_split`) live in ``splits.py`` and are
re-exported here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.checks import is_sparse
from mlplab.data.splits import split_indices, train_dev_test_split, train_test_split
from mlplab.data.validation import check_array, check_labels

__all__ = [
    "split_indices",
    "train_dev_test_split",
    "train_test_split",
    "Standardizer",
    "MinMaxScaler",
    "one_hot",
]


# --------------------------------------------------------------------------- scalers


def _out_dtype(X: Any) -> np.dtype:
    """Floating inputs keep their dtype; integer inputs become float32 (the default)."""
    return X.dtype if X.dtype.kind == "f" else np.dtype(np.float32)


def _moments(X: np.ndarray, rows: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and population variance in float64, in blocks of rows.

    Two passes (mean, then Σ(x − μ)²) are accurate; the blocks keep the float64
    temporaries small even for all of MNIST (60000 × 784).
    """
    n = X.shape[0]
    total = np.zeros(X.shape[1:], dtype=np.float64)
    for i in range(0, n, rows):
        total += X[i : i + rows].sum(axis=0, dtype=np.float64)
    mean = total / n
    sq = np.zeros_like(mean)
    for i in range(0, n, rows):
        d = X[i : i + rows] - mean
        sq += np.einsum("ij,ij->j", d, d)
    return mean, sq / n


class _Scaler:
    """Shared plumbing: fit_transform, the fitted check and JSON-able state."""

    _fields: tuple[str, ...] = ()

    def fit(self, X: Any) -> _Scaler:  # pragma: no cover - overridden
        raise NotImplementedError

    def transform(self, X: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def fit_transform(self, X: Any) -> Any:
        """``fit(X)`` then ``transform(X)``: use on the training split only."""
        return self.fit(X).transform(X)

    def _check_input(self, X: Any, allow_sparse: bool) -> Any:
        name = type(self).__name__
        if getattr(self, self._fields[0], None) is None:
            raise RuntimeError(f"{name} is not fitted; call fit(X_train) first")
        X = check_array(X, allow_sparse=allow_sparse)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X: {name} was fitted on {self.n_features_in_} features, got {X.shape[1]}; "
                "transform data with the same columns as the training set"
            )
        return X

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-able state (lists and numbers), for model files without pickle."""
        if getattr(self, self._fields[0], None) is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted; nothing to save")
        state: dict[str, Any] = {"type": type(self).__name__, **self._config()}
        for field in self._fields:
            state[field.rstrip("_")] = getattr(self, field).tolist()
        return state

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Any:
        """Rebuild a fitted scaler from :meth:`to_dict` output."""
        if not isinstance(state, dict) or state.get("type") != cls.__name__:
            got = state.get("type") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"state: expected a {cls.__name__} dict, got type {got!r}")
        keys = [f.rstrip("_") for f in cls._fields]
        missing = [k for k in keys if k not in state]
        if missing:
            raise ValueError(f"state: {cls.__name__} dict lacks {missing}; it is incomplete")
        config = {k: v for k, v in state.items() if k != "type" and k not in keys}
        try:
            obj = cls(**config)
            arrays = [np.asarray(state[k], dtype=np.float64) for k in keys]
        except (TypeError, ValueError) as err:
            raise ValueError(f"state: invalid {cls.__name__} dict ({err})") from None
        if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
            raise ValueError(f"state: {cls.__name__} arrays have inconsistent shapes")
        for field, arr in zip(cls._fields, arrays, strict=True):
            setattr(obj, field, arr)
        obj.n_features_in_ = len(arrays[0])
        return obj

    def _config(self) -> dict[str, Any]:  # pragma: no cover - overridden
        return {}


class Standardizer(_Scaler):
    """Standardize features with training-set statistics: x := (x − μ) / σ.

    μ is the per-feature mean and σ the per-feature population standard
    deviation (σ² = (1/m) Σ (x − μ)², as in scikit-learn's
    ``StandardScaler``), both computed in float64 on the data given to
    :meth:`fit` — the training split only. A constant feature (σ = 0) gets
    σ := 1, so it maps to 0 instead of dividing by zero.

    Args:
        with_mean: subtract μ (must be False for sparse input, where centring
            would destroy sparsity).
        with_std: divide by σ.

    Attributes: ``mean_`` (d,), ``scale_`` (d,), ``n_features_in_``.

    Shape: X (n, d) → (n, d); float inputs keep their dtype, integers become float32.

    >>> s = Standardizer().fit(np.array([[0.0], [2.0]]))
    >>> s.transform(np.array([[1.0], [4.0]])).ravel().tolist()
    [0.0, 3.0]
    """

    _fields = ("mean_", "scale_")

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = bool(with_mean)
        self.with_std = bool(with_std)
        self.mean_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None
        self.n_features_in_ = 0

    def _config(self) -> dict[str, Any]:
        return {"with_mean": self.with_mean, "with_std": self.with_std}

    def fit(self, X: Any) -> Standardizer:
        """Compute μ and σ from X (the training split)."""
        X = check_array(X)
        if is_sparse(X):
            if self.with_mean:
                raise ValueError(
                    "X: cannot centre a sparse matrix (it would become dense); pass "
                    "Standardizer(with_mean=False)"
                )
            mean = np.asarray(X.mean(axis=0), dtype=np.float64).ravel()
            sq = np.asarray(X.multiply(X).mean(axis=0), dtype=np.float64).ravel()
            var = np.maximum(sq - mean**2, 0.0)
            const = (X.max(axis=0) - X.min(axis=0)).toarray().ravel() == 0
        else:
            mean, var = _moments(X)
            const = X.max(axis=0) == X.min(axis=0)  # exact, unlike var == 0
        scale = np.sqrt(var)
        scale[const | (scale == 0)] = 1.0
        self.mean_ = mean if self.with_mean else np.zeros_like(mean)
        self.scale_ = scale if self.with_std else np.ones_like(scale)
        self.n_features_in_ = len(mean)
        return self

    def transform(self, X: Any) -> Any:
        """Apply x := (x − μ) / σ with the fitted μ, σ."""
        X = self._check_input(X, allow_sparse=not self.with_mean)
        dtype = _out_dtype(X)
        if is_sparse(X):
            out = X.astype(dtype, copy=True)
            out.data /= self.scale_.astype(dtype)[out.indices]
            return out
        out = np.subtract(X, self.mean_.astype(dtype), dtype=dtype)
        out /= self.scale_.astype(dtype)
        return out

    def inverse_transform(self, X: Any) -> np.ndarray:
        """Undo :meth:`transform`: x = x̂ · σ + μ."""
        X = self._check_input(X, allow_sparse=False)
        dtype = _out_dtype(X)
        out = np.multiply(X, self.scale_.astype(dtype), dtype=dtype)
        out += self.mean_.astype(dtype)
        return out


class MinMaxScaler(_Scaler):
    """Scale each feature linearly to ``feature_range`` using training min and max.

    x̂ = a + (x − min) · (b − a) / (max − min), with (a, b) = ``feature_range``
    and min, max from the data given to :meth:`fit`. A constant feature
    (max = min) uses a range of 1. Values outside the training range map
    outside (a, b); nothing is clipped. Same formula as scikit-learn's
    ``MinMaxScaler``.

    Attributes: ``data_min_``, ``data_max_``, ``scale_``, ``min_`` (so that
    x̂ = x · scale_ + min_).
    """

    _fields = ("data_min_", "data_max_")

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)) -> None:
        low, high = (float(v) for v in feature_range)
        if not low < high:
            raise ValueError(
                f"feature_range: expected (low, high) with low < high, got {feature_range!r}"
            )
        self.feature_range = (low, high)
        self.data_min_: np.ndarray | None = None
        self.data_max_: np.ndarray | None = None
        self.n_features_in_ = 0

    def _config(self) -> dict[str, Any]:
        return {"feature_range": list(self.feature_range)}

    @property
    def scale_(self) -> np.ndarray:
        span = self.data_max_ - self.data_min_
        span = np.where(span == 0, 1.0, span)
        return (self.feature_range[1] - self.feature_range[0]) / span

    @property
    def min_(self) -> np.ndarray:
        return self.feature_range[0] - self.data_min_ * self.scale_

    def fit(self, X: Any) -> MinMaxScaler:
        """Record each feature's min and max on X (the training split)."""
        X = check_array(X, allow_sparse=False)
        self.data_min_ = X.min(axis=0).astype(np.float64)
        self.data_max_ = X.max(axis=0).astype(np.float64)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> np.ndarray:
        """x̂ = x · scale_ + min_."""
        X = self._check_input(X, allow_sparse=False)
        dtype = _out_dtype(X)
        out = np.multiply(X, self.scale_.astype(dtype), dtype=dtype)
        out += self.min_.astype(dtype)
        return out

    def inverse_transform(self, X: Any) -> np.ndarray:
        """x = (x̂ − min_) / scale_."""
        X = self._check_input(X, allow_sparse=False)
        dtype = _out_dtype(X)
        return (X.astype(dtype, copy=False) - self.min_.astype(dtype)) / self.scale_.astype(dtype)


# --------------------------------------------------------------------------- labels


def one_hot(y: Any, num_classes: int | None = None, dtype: Any = np.float32) -> np.ndarray:
    """One-hot rows: Y[i, y_i] = 1, all else 0 (the targets of a softmax classifier).

    Shape: y (n,) int class ids → Y (n, K) with K = ``num_classes`` or max(y) + 1.
    """
    labels = check_labels(y, num_classes=num_classes)
    k = num_classes if num_classes is not None else (int(labels.max()) + 1 if labels.size else 0)
    out = np.zeros((len(labels), k), dtype=dtype)
    out[np.arange(len(labels)), labels] = 1
    return out
