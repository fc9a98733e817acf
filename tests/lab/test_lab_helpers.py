"""Helpers of lab experiments 4–12: the MNIST subset, the EWMA window, gradient signs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlplab.checks import ParameterError
from mlplab.data import load_mnist
from mlplab.lab.experiments.ewma import window
from mlplab.lab.experiments.zero_centred import same_sign_fraction
from mlplab.lab.mnist_subset import mnist_subset


def test_mnist_subset_is_seeded_and_drawn_from_the_right_split(datasets_dir, monkeypatch):
    monkeypatch.setenv("MLPLAB_DATA", str(datasets_dir))
    X, y, Xd, yd = mnist_subset(300, 50, seed=4)
    again = mnist_subset(300, 50, seed=4)
    other = mnist_subset(300, 50, seed=5)
    assert X.shape == (300, 784) and Xd.shape == (50, 784) and y.dtype == np.int64
    assert all(np.array_equal(a, b) for a, b in zip((X, y, Xd, yd), again, strict=True))
    assert not np.array_equal(X, other[0])
    assert len(np.unique(X, axis=0)) == 300  # drawn without replacement
    (train_X, train_y), (test_X, _) = load_mnist(datasets_dir)
    row = np.flatnonzero((train_X == X[0]).all(axis=1))  # each image is a real training row
    assert len(row) >= 1 and train_y[row[0]] == y[0]
    assert (test_X == Xd[0]).all(axis=1).any()
    X[:] = 0  # callers get copies: the cached data stays intact
    assert mnist_subset(300, 50, seed=4)[0].any()


def test_mnist_subset_rejects_impossible_sizes_in_one_line():
    with pytest.raises(ParameterError, match=r"n_train must be an integer in \[1, 60000\]"):
        mnist_subset(70_000)


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.98])
def test_ewma_window_is_the_e_folding_time(beta):
    # a past value's weight (1 − β)βᵏ drops below 1/e of the newest at k > −1/ln β
    assert window(beta) == math.floor(-1 / math.log(beta)) + 1


def test_same_sign_fraction_counts_rows_whose_nonzero_entries_agree():
    grads = np.array([[[1.0, 2.0, 0.0], [-1.0, 3.0, 2.0]],
                      [[-1.0, -0.5, -2.0], [0.0, 0.0, 0.0]]])
    assert same_sign_fraction(grads) == 0.75
