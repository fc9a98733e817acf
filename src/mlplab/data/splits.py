"""Train / dev / test splits, seeded and stratified.

The data is split three ways: train to fit the parameters, dev
(validation) to choose between models and hyper-parameters, test for the final,
unbiased estimate. With little data 60/20/20 is common; with millions of
samples dev and test need only a small fraction. Stratifying keeps each class's
share the same in every set, so a rare class does not vanish from dev or test
by chance; shuffling first matters because files are often sorted by class.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from mlplab.checks import SeedLike, as_generator, check_fraction, is_sparse

__all__ = ["split_indices", "train_dev_test_split", "train_test_split"]


def _allocate(counts: np.ndarray, total: int, rng: np.random.Generator) -> np.ndarray:
    """Share ``total`` draws between classes in proportion to ``counts``.

    Each class gets ⌊total·p_c⌋; the leftover draws go to the classes with the
    largest fractional parts (ties broken at random), never beyond a class's size.
    """
    if total == 0 or counts.sum() == 0:
        return np.zeros_like(counts)
    exact = total * counts / counts.sum()
    take = np.floor(exact).astype(np.int64)
    left = total - int(take.sum())
    if left:
        order = rng.permutation(len(counts))  # random tie-breaking
        frac = (exact - take)[order]
        room = (take < counts)[order]
        ranked = order[np.argsort(-(frac + 2.0 * room), kind="stable")]
        take[ranked[:left]] += 1
    return take


def _as_labels(y: Any) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(
            f"y: stratified splitting needs a 1-D array of labels, got shape {y.shape}; "
            "pass stratify=False"
        )
    if y.dtype.kind == "f" and not np.array_equal(y, np.round(y)):
        raise ValueError(
            "y: stratify=True needs class labels, got continuous values; pass "
            "stratify=False for regression targets"
        )
    return y


def split_indices(
    n: int,
    sizes: Sequence[int],
    *,
    y: Any = None,
    stratify: bool = True,
    seed: SeedLike = None,
) -> list[np.ndarray]:
    """Random index sets of the given ``sizes`` plus a last set with the rest.

    With ``stratify`` and labels ``y``, every set keeps the class proportions
    of ``y`` (up to rounding, as scikit-learn's ``StratifiedShuffleSplit``).
    Each returned index array is in random order.
    """
    rng = as_generator(seed, owner="split_indices")
    sizes = [int(s) for s in sizes]
    rest = n - sum(sizes)
    if rest < 1:
        raise ValueError(
            f"the split sizes {sizes} leave no training samples out of {n}; use smaller "
            "dev/test fractions or more data"
        )
    if not (stratify and y is not None):
        perm = rng.permutation(n)
        return np.split(perm, np.cumsum(sizes))  # the sized sets, then the rest (train)
    _, inv = np.unique(_as_labels(y), return_inverse=True)
    counts = np.bincount(inv)
    takes, remaining = [], counts.copy()
    for size in sizes:
        take = _allocate(remaining, size, rng)
        takes.append(take)
        remaining = remaining - take
    # Random order within each class: permute, then stable-sort by class id.
    perm = rng.permutation(n)
    grouped = perm[np.argsort(inv[perm], kind="stable")]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(n) - np.repeat(starts, counts)  # position within its class
    cls = np.repeat(np.arange(len(counts)), counts)
    parts, low = [], np.zeros_like(counts)
    for take in takes:
        high = low + take
        mask = (rank >= low[cls]) & (rank < high[cls])
        parts.append(rng.permutation(grouped[mask]))
        low = high
    parts.append(rng.permutation(grouped[rank >= low[cls]]))
    return parts


def _take(data: Any, idx: np.ndarray) -> Any:
    if data is None:
        return None
    if is_sparse(data) or isinstance(data, np.ndarray):
        return data[idx]
    return [data[i] for i in idx]  # lists of documents stay lists


def _length(X: Any) -> int:
    if is_sparse(X):
        return X.shape[0]
    return len(X)


def train_dev_test_split(
    X: Any,
    y: Any = None,
    dev: float = 0.1,
    test: float = 0.1,
    stratify: bool = True,
    seed: SeedLike = None,
) -> tuple[tuple[Any, Any], tuple[Any, Any], tuple[Any, Any]]:
    """Split into train / dev / test sets: ``((X_tr, y_tr), (X_dev, y_dev), (X_te, y_te))``.

    Args:
        X: ndarray (n, ...), SciPy sparse matrix (kept sparse), or a list (e.g.
            of documents; returned as lists).
        y: labels (n,), or None.
        dev: fraction of the n samples for the dev set, which gets ⌈dev·n⌉
            samples (scikit-learn's rounding); train gets the rest.
        test: fraction for the test set, which gets ⌈test·n⌉ samples.
        stratify: keep the class proportions of ``y`` in every set (ignored
            when y is None).
        seed: int, Generator or None; the same seed gives the same split.
    """
    dev = check_fraction(dev, "dev", "train_dev_test_split")
    test = check_fraction(test, "test", "train_dev_test_split")
    if is_sparse(X):
        X = X.tocsr()
    elif not isinstance(X, np.ndarray | list):
        X = np.asarray(X)
    n = _length(X)
    if n == 0:
        raise ValueError("X: the dataset is empty (0 samples)")
    if y is not None:
        y = np.asarray(y)
        if len(y) != n:
            raise ValueError(
                f"X and y have different lengths: X has {n} rows, y has {len(y)}; pass one "
                "target per sample"
            )
    n_dev, n_test = math.ceil(dev * n), math.ceil(test * n)
    dev_idx, test_idx, train_idx = split_indices(
        n, [n_dev, n_test], y=y, stratify=stratify, seed=seed
    )
    return tuple((_take(X, i), _take(y, i)) for i in (train_idx, dev_idx, test_idx))  # type: ignore[return-value]


def train_test_split(
    X: Any, y: Any = None, test: float = 0.2, stratify: bool = True, seed: SeedLike = None
) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Two-way version of :func:`train_dev_test_split`: ``((X_tr, y_tr), (X_te, y_te))``."""
    train, _, held_out = train_dev_test_split(
        X, y, dev=0.0, test=test, stratify=stratify, seed=seed
    )
    return train, held_out
