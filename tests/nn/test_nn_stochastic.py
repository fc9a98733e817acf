"""Dropout, RReLU and GaussianNoise: checked statistically in training mode (mean, scale,
fraction zeroed, distribution), as the identity (or fixed slope) in evaluation, and for
reproducibility from a seed."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import mlplab as ml
from mlplab import nn

N = (400, 500)  # 200,000 draws: the sample statistics are within ~0.3% of the truth


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_zeroes_a_fraction_p_and_scales_by_one_over_keep_prob(p: float) -> None:
    layer = nn.Dropout(p, seed=0).double()
    x = ml.tensor(np.full(N, 2.0), requires_grad=True)
    out = layer(x)
    zeroed = float(np.mean(out.data == 0))
    sigma = np.sqrt(p * (1 - p) / out.data.size)
    assert abs(zeroed - p) < 5 * sigma
    kept = out.data[out.data != 0]
    np.testing.assert_allclose(kept, 2.0 / (1 - p))  # a / keep_prob
    assert abs(out.data.mean() - 2.0) < 5 * 2.0 * np.sqrt(p / (1 - p) / out.data.size)
    out.backward(np.ones(N))
    np.testing.assert_allclose(x.grad, out.data / 2.0)  # ∂(a·d/keep)/∂a = d/keep


def test_dropout_is_the_identity_in_eval_mode_and_with_p_zero() -> None:
    x = np.random.default_rng(0).standard_normal((5, 4))
    np.testing.assert_array_equal(nn.Dropout(0.5).eval()(x).data, x)
    np.testing.assert_array_equal(nn.Dropout(0.0)(x).data, x)


def test_dropout_masks_are_independent_per_element() -> None:
    out = nn.Dropout(0.5, seed=1)(np.ones((2000, 2))).data != 0
    r = np.corrcoef(out[:, 0], out[:, 1])[0, 1]
    assert abs(r) < 0.1


def test_rrelu_training_slopes_are_uniform_between_lower_and_upper() -> None:
    lower, upper = 0.1, 0.4
    layer = nn.RReLU(lower, upper, seed=0).double()
    x = ml.tensor(-np.ones(N), requires_grad=True)
    out = layer(x)
    slopes = (out.data / x.data).ravel()
    assert slopes.min() >= lower and slopes.max() <= upper
    assert abs(slopes.mean() - (lower + upper) / 2) < 0.002
    assert abs(slopes.var() - (upper - lower) ** 2 / 12) < 0.0005
    assert stats.kstest(slopes[:5000], stats.uniform(lower, upper - lower).cdf).pvalue > 1e-3
    out.backward(np.ones(N))
    np.testing.assert_allclose(x.grad.ravel(), slopes)  # the gradient uses the same slopes


def test_rrelu_keeps_positive_inputs_and_uses_the_mean_slope_in_eval() -> None:
    x = np.array([[-2.0, 3.0, -1.0]])
    train = nn.RReLU(seed=0)(x).data
    assert train[0, 1] == 3.0
    layer = nn.RReLU(0.2, 0.4).eval()
    np.testing.assert_allclose(layer(x).data, [[-0.6, 3.0, -0.3]])


def test_gaussian_noise_has_the_right_mean_and_std_and_is_off_in_eval() -> None:
    layer = nn.GaussianNoise(0.3, seed=0).double()
    x = np.full(N, 1.5)
    noise = (layer(x).data - x).ravel()
    assert abs(noise.mean()) < 5 * 0.3 / np.sqrt(noise.size)
    assert abs(noise.std() - 0.3) < 0.003
    assert stats.kstest(noise[:5000], stats.norm(0, 0.3).cdf).pvalue > 1e-3
    np.testing.assert_array_equal(layer.eval()(x).data, x)


def test_seeded_stochastic_layers_are_reproducible() -> None:
    x = np.ones((50, 8))

    def model(seed=None):
        return nn.Sequential(nn.Dropout(0.5), nn.GaussianNoise(1.0), nn.RReLU(),
                             nn.Dropout(0.5, seed=seed))

    a, b = model(), model()
    a.set_rng(7)
    b.set_rng(7)
    np.testing.assert_array_equal(a(x).data, b(x).data)
    np.testing.assert_array_equal(a(x).data, b(x).data)  # and the streams continue alike
    b.set_rng(8)
    assert not np.array_equal(a(x).data, b(x).data)
    np.testing.assert_array_equal(nn.Dropout(0.5, seed=3)(x).data,
                                  nn.Dropout(0.5, seed=3)(x).data)


def test_each_stochastic_layer_gets_its_own_stream() -> None:
    model = nn.Sequential(nn.Dropout(0.5), nn.Dropout(0.5))
    model.set_rng(0)
    x = np.ones((20, 20))
    assert not np.array_equal(model[0](x).data, model[1](x).data)


def test_rng_state_round_trip_continues_exactly() -> None:
    model = nn.Sequential(nn.Dropout(0.5), nn.RReLU()).set_rng(4)
    x = -np.ones((10, 10))
    model(x)
    state = model.rng_state()
    expected = model(x).data
    model(x)
    model.set_rng_state(state)
    np.testing.assert_array_equal(model(x).data, expected)
