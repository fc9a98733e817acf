"""The playground's datasets: TF Playground's generators, counts and splits, and mlplab's."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from mlplab.playground import datasets as D
from mlplab.playground.config import CLASSIFICATION_SETS, make_config


def rng():
    return np.random.default_rng(3)


def test_counts_split_and_seed():
    config = make_config({"dataset": "spiral", "perc_train_data": 70})
    data = D.make_data(config)
    assert (len(data.train_x), len(data.test_x)) == (350, 150)
    regression = D.make_data(make_config({"problem": "regression"}))
    assert len(regression.train_x) + len(regression.test_x) == 1200
    again = D.make_data(config)
    assert np.array_equal(data.train_x, again.train_x)
    other = D.make_data(make_config({"dataset": "spiral", "perc_train_data": 70, "seed": 1}))
    assert not np.array_equal(data.train_x, other.train_x)


def test_circle_radii_and_noise_relabels():
    x, y = D.circle(500, 0.0, rng())
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.all(r[y == 1] < 2.5) and np.all((r[y == 0] >= 3.5) & (r[y == 0] <= 5))
    assert y.sum() == 250
    x, y = D.circle(2000, 0.5, rng())  # the label comes from the moved point: some flip
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.any(y[r < 2.5] == 0) and np.any(y[r > 3.5] == 1)


def test_xor_padding_and_sign_label():
    x, y = D.xor(1000, 0.0, rng())
    assert np.all(np.abs(x) >= 0.3) and np.all(np.abs(x) <= 5.3)
    assert np.array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(int))


def test_gauss_variance_grows_with_noise():
    x0, y0 = D.gauss(4000, 0.0, rng())
    x5, _ = D.gauss(4000, 0.5, rng())
    pos = x0[y0 == 1]
    assert np.allclose(pos.mean(axis=0), [2, 2], atol=0.1)
    assert np.isclose(pos[:, 0].var(), 0.5, rtol=0.15)
    assert np.isclose(x5[:2000, 0].var(), 4.0, rtol=0.15)


def test_spiral_arms_and_radius():
    x, y = D.spiral(500, 0.0, rng())
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.allclose(r[:250], np.arange(250) / 250 * 5)
    assert np.allclose(x[250:], -x[:250])  # the second arm is turned by π
    assert set(y[:250]) == {1} and set(y[250:]) == {0}


def test_regression_sets():
    x, t = D.plane(1200, 0.0, rng())
    assert np.allclose(t, np.clip((x[:, 0] + x[:, 1]) / 10, -1, 1))
    x, t = D.multigauss(1200, 0.0, rng())
    assert t.min() >= -1 and t.max() <= 1 and t.min() < -0.5 and t.max() > 0.5
    near = np.hypot(x[:, 0] - 4, x[:, 1] - 2.5) < 0.5  # a +1 bump
    assert np.all(t[near] > 0.7)


@pytest.mark.parametrize("name", CLASSIFICATION_SETS)
def test_every_classification_set(name):
    config = make_config({"dataset": name, "classes": 4, "noise": 10})
    data = D.make_data(config)
    labels = np.concatenate([data.train_y, data.test_y])
    assert set(labels) == set(range(config.n_classes()))
    assert np.all(np.isfinite(data.train_x)) and np.all(np.abs(data.train_x) < 12)


def test_gates_are_the_truth_tables():
    for name, table in (("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor_gate", [0, 1, 1, 0])):
        data = D.make_data(make_config({"dataset": name}))
        assert len(data.train_x) == len(data.test_x) == 4
        truth = {(a > 0, b > 0): t for (a, b), t in zip(data.train_x, data.train_y,
                                                        strict=True)}
        assert [truth[(False, False)], truth[(False, True)], truth[(True, False)],
                truth[(True, True)]] == table


def test_thumbnail_is_a_16x16_class_map():
    image = np.frombuffer(base64.b64decode(D.thumbnail(make_config({}))), np.uint8)
    assert image.shape == (256,) and set(image) <= {0, 1, 2}
    grid = image.reshape(16, 16)
    assert grid[8, 8] == 2 and grid[1, 8] in (0, 1)  # circle: positive centre
