"""Synthetic sets: checked against their defining formulas and linear separability."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from mlplab.data import and_gate, circles, gaussians, moons, or_gate, spirals, xor

# truth tables written out by hand: rows x1 x2 = 00, 01, 10, 11
TABLES = {xor: [0, 1, 1, 0], or_gate: [0, 1, 1, 1], and_gate: [0, 0, 0, 1]}
ALL = [
    lambda s: xor(50, seed=s),
    lambda s: or_gate(50, seed=s),
    lambda s: and_gate(50, seed=s),
    lambda s: circles(50, seed=s),
    lambda s: moons(50, seed=s),
    lambda s: spirals(50, seed=s),
    lambda s: gaussians(50, seed=s),
]


@pytest.mark.parametrize("gate", list(TABLES))
def test_truth_table(gate):
    X, y = gate()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == TABLES[gate]
    assert X.dtype == np.float32 and y.dtype == np.int64


@pytest.mark.parametrize("gate", list(TABLES))
def test_noisy_samples_keep_the_corner_label(gate):
    X, y = gate(400, noise=0.1, seed=0)
    assert X.shape == (400, 2) and y.shape == (400,)
    corner = np.clip(np.round(X), 0, 1).astype(int)  # noise 0.1 ≪ 0.5: rounding finds the corner
    expected = np.array(TABLES[gate])[corner[:, 0] * 2 + corner[:, 1]]
    assert (y == expected).mean() > 0.99
    # every corner is equally represented
    assert np.bincount(corner[:, 0] * 2 + corner[:, 1], minlength=4).min() >= 90


def test_and_or_are_linearly_separable_xor_is_not():
    # the notes' motivating fact: one linear unit fits AND and OR but not XOR
    for gate in (and_gate, or_gate):
        X, y = gate()
        clf = LogisticRegression(C=1e4).fit(X, y)
        assert clf.score(X, y) == 1.0
    X, y = xor()
    assert LogisticRegression(C=1e4).fit(X, y).score(X, y) <= 0.75


def test_table_with_noise_is_jittered_and_seeded():
    X1, _ = xor(noise=0.05, seed=3)
    X2, _ = xor(noise=0.05, seed=3)
    np.testing.assert_array_equal(X1, X2)
    assert 0 < np.abs(X1 - [[0, 0], [0, 1], [1, 0], [1, 1]]).max() < 0.5


@pytest.mark.parametrize("make", ALL)
def test_seeded_reproducible_and_shuffled(make):
    X1, y1 = make(0)
    X2, y2 = make(0)
    X3, _ = make(1)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.dtype == np.float32 and y1.dtype == np.int64
    assert len(X1) == len(y1) == 50
    assert not np.all(np.diff(y1) >= 0), "rows should be shuffled, not sorted by class"


def test_generator_is_accepted():
    g = np.random.default_rng(7)
    X1, _ = moons(30, seed=g)
    X2, _ = moons(30, seed=g)  # the shared generator moved on
    assert not np.array_equal(X1, X2)


def test_circles_radii():
    X, y = circles(200, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(r[y == 1], 0.3, atol=1e-6)
    assert np.bincount(y).tolist() == [100, 100]


def test_moons_follow_their_equations():
    X, y = moons(101, noise=0.0, seed=0)
    a, b = X[y == 0].astype(float), X[y == 1].astype(float)
    np.testing.assert_allclose(np.hypot(a[:, 0], a[:, 1]), 1.0, atol=1e-6)  # (cos t, sin t)
    assert (a[:, 1] >= -1e-6).all()
    np.testing.assert_allclose(np.hypot(1 - b[:, 0], 0.5 - b[:, 1]), 1.0, atol=1e-6)
    assert np.bincount(y).tolist() == [50, 51]


def test_spirals_follow_their_equation():
    K, turns = 4, 0.75
    X, y = spirals(200, classes=K, noise=0.0, turns=turns, seed=0)
    assert np.bincount(y).tolist() == [50] * K
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 1 + 1e-6
    keep = r > 0.05  # the angle is undefined at the centre
    theta = np.arctan2(X[keep, 0], X[keep, 1])  # X = r (sin θ, cos θ)
    expected = 2 * np.pi * (turns * r[keep] + y[keep] / K)
    wrapped = np.angle(np.exp(1j * (theta - expected)))
    np.testing.assert_allclose(wrapped, 0.0, atol=1e-4)


def test_gaussians_with_given_centers():
    centers = np.array([[0.0, 0.0, 0.0], [10.0, -5.0, 2.0]])
    X, y = gaussians(2000, centers=centers, std=0.5, seed=0)
    assert X.shape == (2000, 3)
    for k in range(2):
        np.testing.assert_allclose(X[y == k].mean(0), centers[k], atol=4 * 0.5 / np.sqrt(1000))
        np.testing.assert_allclose(X[y == k].std(0), 0.5, rtol=0.1)


def test_gaussians_random_centers_in_box():
    X, y = gaussians(301, centers=5, std=0.0, box=(-2, 3), seed=0)
    assert np.bincount(y).tolist() == [61, 60, 60, 60, 60]
    assert X.min() >= -2 and X.max() <= 3


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: xor(0), "xor: n must be an integer >= 1"),
        (lambda: moons(-5), "moons: n must be an integer >= 1"),
        (lambda: circles(10, noise=-1), "noise"),
        (lambda: circles(10, factor=1.5), "factor"),
        (lambda: spirals(10, classes=1), "classes"),
        (lambda: gaussians(10, centers=np.zeros(3)), "centers"),
        (lambda: xor(4, seed="a"), "seed"),
    ],
)
def test_bad_arguments(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
