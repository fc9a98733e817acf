"""DataLoader: batches cover the data, shuffle per epoch, slice sparse rows, resume exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from mlplab.data import DataLoader


def _data(n=10, d=3):
    X = np.arange(n * d, dtype=np.float32).reshape(n, d)
    return X, np.arange(n)


def _epoch(loader):
    return [(xb.copy(), None if yb is None else yb.copy()) for xb, yb in loader]


def test_in_order_batches_and_len():
    X, y = _data(10)
    loader = DataLoader(X, y, batch_size=4)
    batches = _epoch(loader)
    assert len(loader) == 3 == len(batches)
    assert [yb.tolist() for _, yb in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    for xb, yb in batches:
        np.testing.assert_array_equal(xb, X[yb])


def test_drop_last():
    X, y = _data(10)
    loader = DataLoader(X, y, batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [len(yb) for _, yb in loader] == [4, 4]


@pytest.mark.parametrize(
    "n, b, drop, expected",
    [
        (8, 4, False, 2),
        (9, 4, False, 3),
        (9, 4, True, 2),
        (3, 5, True, 0),
        (3, 5, False, 1),
        (1, 1, False, 1),
    ],
)
def test_len_formula(n, b, drop, expected):
    X, y = _data(n)
    loader = DataLoader(X, y, batch_size=b, drop_last=drop)
    assert len(loader) == expected == len(list(loader))


def test_full_batch_when_batch_size_is_none():
    X, y = _data(7)
    ((xb, yb),) = list(DataLoader(X, y, batch_size=None))
    np.testing.assert_array_equal(xb, X)
    np.testing.assert_array_equal(yb, y)


def test_shuffle_covers_every_sample_once_and_reshuffles():
    X, y = _data(50)
    loader = DataLoader(X, y, batch_size=8, shuffle=True, seed=0)
    orders = []
    for _ in range(3):
        seen = np.concatenate([yb for _, yb in loader])
        assert sorted(seen.tolist()) == list(range(50))
        orders.append(seen)
    assert not np.array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[1], orders[2])
    for xb, yb in loader:  # X rows travel with their labels
        np.testing.assert_array_equal(xb, X[yb])


def test_same_seed_same_order_and_independent_of_global_state():
    X, y = _data(30)
    a = DataLoader(X, y, batch_size=7, shuffle=True, seed=42)
    np.random.seed(0)
    np.random.rand(5)  # global state must not matter
    b = DataLoader(X, y, batch_size=7, shuffle=True, seed=42)
    for _ in range(2):
        for (_, ya), (_, yb) in zip(a, b, strict=True):
            np.testing.assert_array_equal(ya, yb)


def test_state_dict_resumes_exactly():
    X, y = _data(40)
    reference = DataLoader(X, y, batch_size=6, shuffle=True, seed=3)
    epochs = [[yb.tolist() for _, yb in reference] for _ in range(4)]

    first = DataLoader(X, y, batch_size=6, shuffle=True, seed=3)
    assert [yb.tolist() for _, yb in first] == epochs[0]
    assert [yb.tolist() for _, yb in first] == epochs[1]
    state = json.loads(json.dumps(first.state_dict()))  # must survive a JSON round trip

    resumed = DataLoader(X, y, batch_size=6, shuffle=True, seed=999)
    resumed.load_state_dict(state)
    assert [yb.tolist() for _, yb in resumed] == epochs[2]
    assert [yb.tolist() for _, yb in resumed] == epochs[3]


def test_bad_state_dict():
    loader = DataLoader(*_data(4))
    with pytest.raises(ValueError, match="state_dict"):
        loader.load_state_dict({"nope": 1})


@pytest.mark.parametrize("fmt", ["csr", "coo", "csc"])
def test_sparse_rows_match_dense(fmt):
    rng = np.random.default_rng(0)
    dense = rng.random((23, 5)) * (rng.random((23, 5)) < 0.3)
    X = sp.csr_matrix(dense).asformat(fmt)
    y = np.arange(23)
    loader = DataLoader(X, y, batch_size=5, shuffle=True, seed=1)
    for xb, yb in loader:
        assert sp.issparse(xb) and xb.format == "csr"
        np.testing.assert_array_equal(xb.toarray(), dense[yb])


def test_without_targets():
    X, _ = _data(5)
    batches = list(DataLoader(X, batch_size=2))
    assert all(yb is None for _, yb in batches)
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in batches]), X)


def test_transform_is_applied_to_X_only():
    X, y = _data(6)
    loader = DataLoader(X, y, batch_size=4, transform=lambda xb: xb * 2)
    for xb, yb in loader:
        np.testing.assert_array_equal(xb, X[yb] * 2)


@pytest.mark.parametrize("bs", [0, -1, 2.5, True, "32"])
def test_bad_batch_size(bs):
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(*_data(4), batch_size=bs)


def test_length_mismatch_and_empty():
    with pytest.raises(ValueError, match="X has 4 rows, y has 3"):
        DataLoader(np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="empty"):
        DataLoader(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(TypeError, match="transform"):
        DataLoader(np.zeros((2, 2)), transform=3)
