"""Preprocessing fitted in one pass over a stream: standardize, one-hot, class ids.

Per numeric column the pass merges each chunk's count, mean and sum of squared
deviations with Chan's update, so the statistics equal those of the whole column
without holding it:

    n = n_a + n_b,  δ = μ_b − μ_a,  μ = μ_a + δ·n_b / n,  M₂ = M₂_a + M₂_b + δ²·n_a·n_b / n,

and σ = √(M₂ / n) (population deviation, as :class:`~mlplab.data.Standardizer`).
Missing numeric values (NaN) are left out of the statistics and encode as the mean,
i.e. 0 after standardization. Each text column's categories are collected in the same
pass (sorted; an unseen category encodes as all zeros), and so are the target's
classes for a classifier (sorted, ids 0..K−1), or the target's mean and deviation for
regression (``target_mean``, ``target_std``: merged the same way; targets are still
given back as they are, for the caller to scale).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.checks import OneOf, ParameterError, check
from mlplab.data.preprocessing import Standardizer
from mlplab.data.streaming.source import Chunk

TASKS = ("classify", "regression")


class StreamEncoder:
    """Turns chunks into ``(X float32, y)``: standardized numbers, then one-hot categories.

    Fit with :meth:`partial_fit` on every chunk, then :meth:`finish` (or ``fit(source)``).
    ``y`` is int64 class ids for ``task="classify"``, float32 values for ``"regression"``.
    """

    def __init__(self, task: str = "classify", standardize: bool = True) -> None:
        self.task = check("StreamEncoder", "task", task, OneOf(TASKS))
        self.standardize = bool(standardize)
        self._n: np.ndarray | None = None
        self._mean: np.ndarray | None = None
        self._m2: np.ndarray | None = None
        self._seen: dict[str, set[str]] = {}
        self._labels: set[Any] = set()
        self._target_moments: tuple[float, float, float] | None = None  # n, mean, M2
        self.scaler: Standardizer | None = None
        self.categories: dict[str, list[str]] = {}
        self.classes: list[Any] | None = None
        self.target_mean: float | None = None
        self.target_std: float | None = None

    # ----- fitting -------------------------------------------------------------------
    def fit(self, source: Any) -> StreamEncoder:
        """One pass over every chunk of ``source``."""
        for i in range(source.n_chunks):
            self.partial_fit(source.read(i))
        return self.finish()

    def partial_fit(self, chunk: Chunk) -> StreamEncoder:
        """Merge one chunk's statistics, categories and classes."""
        # sums in float64 over the chunk as it is (float32 stays float32), with one
        # float64 temporary for the deviations: a chunk's statistics cost about one copy
        x = np.asarray(chunk.numeric)
        missing = np.isnan(x)
        any_missing = bool(missing.any())
        if any_missing:
            x = np.where(missing, 0, x)
        n_b = (len(x) - missing.sum(axis=0)).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_b = np.where(n_b > 0, x.sum(axis=0, dtype=np.float64) / np.maximum(n_b, 1), 0.0)
        deviations = np.subtract(x, mean_b, dtype=np.float64)
        if any_missing:
            deviations[missing] = 0.0
        m2_b = np.square(deviations, out=deviations).sum(axis=0)
        del deviations, missing
        if self._n is None:
            self._n, self._mean, self._m2 = n_b, mean_b, m2_b
        else:
            n = self._n + n_b
            delta = mean_b - self._mean
            safe = np.maximum(n, 1)
            self._mean = self._mean + delta * n_b / safe
            self._m2 = self._m2 + m2_b + delta**2 * self._n * n_b / safe
            self._n = n
        for name, values in chunk.categorical.items():
            self._seen.setdefault(name, set()).update(np.unique(values).tolist())
        if self.task == "classify" and chunk.target is not None:
            self._labels.update(np.unique(chunk.target).tolist())
        if self.task == "regression" and chunk.target is not None:
            self._merge_target(chunk.target)
        return self

    def _merge_target(self, target: np.ndarray) -> None:
        try:
            t = np.asarray(target, dtype=np.float64)
        except ValueError:
            raise ParameterError(f"StreamEncoder: the target holds text ({str(target[0])!r} "
                                 "in the first row of a chunk); a regression target must be a "
                                 "number; for class labels use task='classify'") from None
        if not np.isfinite(t).all():
            row = int(np.flatnonzero(~np.isfinite(t))[0])
            raise ParameterError(f"StreamEncoder: the target is {t[row]} in row {row} of a "
                                 "chunk; a regression target must be a finite number in "
                                 "every row (drop or fill those rows first)")
        if not len(t):
            return
        n_b, mean_b = float(len(t)), float(t.mean())
        m2_b = float(np.square(t - mean_b).sum())
        if self._target_moments is None:
            self._target_moments = (n_b, mean_b, m2_b)
            return
        n_a, mean_a, m2_a = self._target_moments
        n = n_a + n_b
        delta = mean_b - mean_a
        self._target_moments = (n, mean_a + delta * n_b / n, m2_a + m2_b + delta**2 * n_a * n_b / n)

    def finish(self) -> StreamEncoder:
        """Turn the merged statistics into the fitted state."""
        if self._n is None:
            raise ParameterError("StreamEncoder: nothing was seen; fit it on a source with rows")
        scale = np.sqrt(self._m2 / np.maximum(self._n, 1))
        scale[scale == 0] = 1.0
        self.scaler = Standardizer(with_mean=self.standardize, with_std=self.standardize)
        self.scaler.mean_ = self._mean if self.standardize else np.zeros_like(self._mean)
        self.scaler.scale_ = scale if self.standardize else np.ones_like(scale)
        self.scaler.n_features_in_ = len(scale)
        self._fill = self._mean  # a missing number encodes as the mean
        self.categories = {name: sorted(seen) for name, seen in self._seen.items()}
        self._category_arrays = {n: np.asarray(c, dtype=str) for n, c in self.categories.items()}
        if self.task == "classify":
            self.classes = sorted(self._labels)
            self._class_index = {c: i for i, c in enumerate(self.classes)}
        elif self._target_moments is not None:
            n, mean, m2 = self._target_moments
            self.target_mean, self.target_std = mean, float(np.sqrt(m2 / n))
        return self

    # ----- encoding ------------------------------------------------------------------
    @property
    def n_features(self) -> int:
        """Width of the encoded X."""
        self._fitted()
        return self.scaler.n_features_in_ + sum(len(c) for c in self.categories.values())

    def transform(self, chunk: Chunk) -> tuple[np.ndarray, np.ndarray | None]:
        """``(X float32 (rows, n_features), y)`` of one chunk."""
        self._fitted()
        x = np.asarray(chunk.numeric, dtype=np.float32)
        if np.isnan(x).any():
            x = np.where(np.isnan(x), self._fill.astype(np.float32), x)
        parts = [self.scaler.transform(x) if x.shape[1] else x]
        for name, categories in self._category_arrays.items():
            codes = np.searchsorted(categories, chunk.categorical[name])
            codes = np.minimum(codes, len(categories) - 1)
            known = categories[codes] == chunk.categorical[name]
            onehot = np.zeros((len(chunk), len(categories)), dtype=np.float32)
            onehot[np.flatnonzero(known), codes[known]] = 1.0
            parts.append(onehot)
        X = parts[0] if len(parts) == 1 else np.hstack(parts).astype(np.float32, copy=False)
        return X, self._targets(chunk.target)

    def _targets(self, target: np.ndarray | None) -> np.ndarray | None:
        if target is None:
            return None
        if self.task == "regression":
            return np.asarray(target, dtype=np.float32)
        uniq, inverse = np.unique(target, return_inverse=True)
        lookup = np.array([self._class_index.get(u, -1) for u in uniq.tolist()], dtype=np.int64)
        y = lookup[inverse.reshape(-1)]
        if (y < 0).any():
            unseen = uniq[lookup < 0][0]
            raise ParameterError(f"StreamEncoder: the class {unseen!r} was not seen when the "
                                 "encoder was fitted; fit it on the whole training source")
        return y

    def _fitted(self) -> None:
        if self.scaler is None:
            raise ParameterError("StreamEncoder: not fitted yet; call fit(source) first")
