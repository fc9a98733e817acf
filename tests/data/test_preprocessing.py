"""Splits and scalers, with scikit-learn as the oracle."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.model_selection import train_test_split as sk_train_test_split

from mlplab.data import MinMaxScaler, Standardizer, one_hot, train_dev_test_split, train_test_split
from sklearn import preprocessing as skp


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(5.0, 3.0, (200, 4)) * [1, 100, 0.01, 1]
    X[:, 3] = 7.0  # a constant column
    return X


# --------------------------------------------------------------------------- Standardizer


def test_standardizer_matches_sklearn(data):
    train, test = data[:150], data[150:]
    ours = Standardizer().fit(train)
    ref = skp.StandardScaler().fit(train)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12)
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-12)
    # the test split is scaled with the *training* statistics
    np.testing.assert_allclose(ours.transform(test), ref.transform(test), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(test)), test, rtol=1e-12)


def test_standardizer_notes_formula_on_train(data):
    Z = Standardizer().fit_transform(data[:, :3])
    np.testing.assert_allclose(Z.mean(0), 0.0, atol=1e-12)  # μ = 0
    np.testing.assert_allclose((Z**2).mean(0), 1.0, rtol=1e-12)  # σ² = (1/m) Σ x² = 1


def test_standardizer_constant_column_maps_to_zero(data):
    Z = Standardizer().fit_transform(data)
    assert np.isfinite(Z).all()
    np.testing.assert_array_equal(Z[:, 3], 0.0)


def test_standardizer_keeps_float32():
    X = np.random.default_rng(1).random((10, 3)).astype(np.float32)
    Z = Standardizer().fit(X).transform(X)
    assert Z.dtype == np.float32
    assert Standardizer().fit_transform(np.arange(6).reshape(3, 2)).dtype == np.float32


def test_standardizer_sparse_matches_sklearn():
    dense = sp.random(60, 8, density=0.3, random_state=3).toarray() * 10
    dense[:, 5] = 0  # an all-zero column
    X = sp.csr_matrix(dense)
    ours = Standardizer(with_mean=False).fit(X)
    ref = skp.StandardScaler(with_mean=False).fit(X)
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-10)
    out = ours.transform(X)
    assert sp.issparse(out)
    np.testing.assert_allclose(out.toarray(), ref.transform(X).toarray(), rtol=1e-10)


def test_standardizer_sparse_centering_is_refused():
    with pytest.raises(ValueError, match="with_mean=False"):
        Standardizer().fit(sp.csr_matrix(np.eye(3)))


def test_standardizer_round_trip_through_json(data):
    s = Standardizer().fit(data)
    state = json.loads(json.dumps(s.to_dict()))
    s2 = Standardizer.from_dict(state)
    np.testing.assert_array_equal(s2.transform(data), s.transform(data))
    with pytest.raises(ValueError, match="Standardizer"):
        Standardizer.from_dict({"type": "MinMaxScaler"})
    with pytest.raises(ValueError, match="lacks"):
        Standardizer.from_dict({"type": "Standardizer", "mean": [0.0]})
    with pytest.raises(ValueError, match="inconsistent"):
        Standardizer.from_dict({"type": "Standardizer", "mean": [0.0], "scale": [1.0, 2.0]})


def test_standardizer_errors(data):
    with pytest.raises(RuntimeError, match="not fitted"):
        Standardizer().transform(data)
    s = Standardizer().fit(data)
    with pytest.raises(ValueError, match="fitted on 4 features, got 3"):
        s.transform(data[:, :3])
    bad = data.copy()
    bad[5, 1] = np.nan
    with pytest.raises(ValueError, match="row 5, column 1"):
        Standardizer().fit(bad)


# --------------------------------------------------------------------------- MinMaxScaler


@pytest.mark.parametrize("feature_range", [(0.0, 1.0), (-1.0, 2.0)])
def test_minmax_matches_sklearn(data, feature_range):
    train, test = data[:150], data[150:]
    ours = MinMaxScaler(feature_range).fit(train)
    ref = skp.MinMaxScaler(feature_range=feature_range).fit(train)
    np.testing.assert_allclose(ours.transform(test), ref.transform(test), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(test)), test, rtol=1e-10)
    s2 = MinMaxScaler.from_dict(json.loads(json.dumps(ours.to_dict())))
    np.testing.assert_array_equal(s2.transform(test), ours.transform(test))


def test_minmax_bad_range():
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler((1.0, 0.0))


# --------------------------------------------------------------------------- one_hot


def test_one_hot_matches_sklearn():
    y = np.array([2, 0, 1, 2, 0])
    ref = skp.OneHotEncoder(categories=[[0, 1, 2, 3]]).fit_transform(y[:, None]).toarray()
    np.testing.assert_array_equal(one_hot(y, num_classes=4), ref)
    assert one_hot(y).shape == (5, 3) and one_hot(y).dtype == np.float32
    with pytest.raises(ValueError, match="out of range"):
        one_hot(y, num_classes=2)


# --------------------------------------------------------------------------- splits


def _labels(counts, seed=0):
    y = np.repeat(np.arange(len(counts)), counts)
    return np.random.default_rng(seed).permutation(y)


def test_split_sizes_follow_sklearn_rounding():
    for n, test in [(100, 0.2), (101, 0.15), (37, 0.3)]:
        X = np.arange(n)[:, None]
        (_, _), (Xte, _) = train_test_split(X, test=test, stratify=False, seed=0)
        _, sk_te = sk_train_test_split(X, test_size=test, random_state=0)
        assert len(Xte) == len(sk_te) == math.ceil(test * n)


def test_stratified_counts_match_sklearn():
    y = _labels([500, 300, 150, 40, 10])
    X = np.arange(len(y))[:, None].astype(float)
    (Xtr, ytr), (Xte, yte) = train_test_split(X, y, test=0.25, seed=0)
    sss = StratifiedShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
    _, sk_test = next(sss.split(X, y))
    ours, ref = np.bincount(yte, minlength=5), np.bincount(y[sk_test], minlength=5)
    assert ours.sum() == ref.sum()
    assert np.abs(ours - ref).max() <= 1
    np.testing.assert_array_equal(y[Xtr[:, 0].astype(int)], ytr)  # rows stay paired


def test_three_way_split_is_a_partition_with_class_proportions():
    y = _labels([600, 300, 100])
    X = np.arange(len(y))
    (Xtr, ytr), (Xdv, ydv), (Xte, yte) = train_dev_test_split(X, y, dev=0.1, test=0.2, seed=1)
    assert (len(Xtr), len(Xdv), len(Xte)) == (700, 100, 200)
    allidx = np.concatenate([Xtr, Xdv, Xte])
    assert sorted(allidx.tolist()) == list(range(1000))
    assert np.bincount(ydv).tolist() == [60, 30, 10]
    assert np.bincount(yte).tolist() == [120, 60, 20]
    np.testing.assert_array_equal(y[Xdv], ydv)
    assert not np.all(np.diff(yte) >= 0), "split sets should be shuffled"


def test_split_is_seeded():
    y = _labels([50, 50])
    X = np.arange(100)
    a = train_dev_test_split(X, y, seed=5)
    b = train_dev_test_split(X, y, seed=5)
    c = train_dev_test_split(X, y, seed=6)
    for (xa, _), (xb, _) in zip(a, b, strict=True):
        np.testing.assert_array_equal(xa, xb)
    assert not np.array_equal(a[2][0], c[2][0])


def test_split_sparse_and_lists():
    y = _labels([30, 30])
    X = sp.csr_matrix(np.arange(60.0)[:, None] + 1)
    (Xtr, ytr), (Xte, yte) = train_test_split(X, y, test=0.5, seed=0)
    assert sp.issparse(Xtr) and Xtr.shape == (30, 1)
    np.testing.assert_array_equal(y[(Xte.toarray()[:, 0] - 1).astype(int)], yte)
    docs = [f"doc {i}" for i in range(60)]
    (dtr, _), (dte, _) = train_test_split(docs, y, test=0.5, seed=0)
    assert isinstance(dtr, list) and sorted(dtr + dte) == sorted(docs)


def test_split_without_labels():
    (Xtr, ytr), (Xte, yte) = train_test_split(np.arange(10), test=0.3, seed=0)
    assert ytr is None and yte is None and len(Xte) == 3


def test_split_errors():
    X, y = np.arange(10), np.arange(10) % 2
    with pytest.raises(ValueError, match="no training samples"):
        train_dev_test_split(X, y, dev=0.5, test=0.5)
    with pytest.raises(ValueError, match="dev"):
        train_dev_test_split(X, y, dev=-0.1)
    with pytest.raises(ValueError, match="X has 10 rows, y has 9"):
        train_test_split(X, y[:9])
    with pytest.raises(ValueError, match="stratify=False"):
        train_test_split(X, np.linspace(0, 1, 10))
