"""Initializers: distributions against their formulas (moments and a KS test), gains
against PyTorch, seeded reproducibility, the registry, and Linear's default."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import stats

import mlplab as ml
from mlplab import nn

init = nn.init
FAN_OUT, FAN_IN = 300, 200


def weight() -> nn.Parameter:
    return nn.Parameter(np.zeros((FAN_OUT, FAN_IN)))


def uniform(bound: float):
    return stats.uniform(-bound, 2 * bound)


# (initializer call, the distribution its formula prescribes)
CASES = [
    ("xavier_uniform", lambda w, s: init.xavier_uniform_(w, seed=s),
     uniform(math.sqrt(6 / (FAN_IN + FAN_OUT)))),
    ("xavier_uniform-gain", lambda w, s: init.xavier_uniform_(w, gain=2.0, seed=s),
     uniform(2 * math.sqrt(6 / (FAN_IN + FAN_OUT)))),
    ("xavier_normal", lambda w, s: init.xavier_normal_(w, seed=s),
     stats.norm(0, math.sqrt(2 / (FAN_IN + FAN_OUT)))),
    ("he_normal", lambda w, s: init.he_normal_(w, seed=s), stats.norm(0, math.sqrt(2 / FAN_IN))),
    ("he_normal-fan_out", lambda w, s: init.he_normal_(w, mode="fan_out", seed=s),
     stats.norm(0, math.sqrt(2 / FAN_OUT))),
    ("he_normal-leaky", lambda w, s: init.he_normal_(w, a=0.2, nonlinearity="leaky_relu", seed=s),
     stats.norm(0, math.sqrt(2 / (1 + 0.04)) / math.sqrt(FAN_IN))),
    ("he_uniform", lambda w, s: init.he_uniform_(w, seed=s), uniform(math.sqrt(6 / FAN_IN))),
    ("lecun_normal", lambda w, s: init.lecun_normal_(w, seed=s),
     stats.norm(0, math.sqrt(1 / FAN_IN))),
    ("normal", lambda w, s: init.normal_(w, 0.5, 0.1, seed=s), stats.norm(0.5, 0.1)),
    ("uniform", lambda w, s: init.uniform_(w, -0.3, 0.7, seed=s), stats.uniform(-0.3, 1.0)),
]


@pytest.mark.parametrize(("name", "fill", "dist"), CASES, ids=[c[0] for c in CASES])
def test_initializer_follows_its_formula(name, fill, dist) -> None:
    w = fill(weight(), 0)
    values = w.data.ravel()
    n = values.size
    assert abs(values.mean() - dist.mean()) < 5 * dist.std() / math.sqrt(n)
    assert abs(values.std() / dist.std() - 1) < 0.01
    assert stats.kstest(values, dist.cdf).pvalue > 1e-3


def test_a_wrong_formula_fails_the_ks_test() -> None:
    # the test above can fail: He's σ = √(2/n) is rejected for Xavier's samples
    values = init.xavier_normal_(weight(), seed=0).data.ravel()
    assert stats.kstest(values, stats.norm(0, math.sqrt(2 / FAN_IN)).cdf).pvalue < 1e-6


@pytest.mark.parametrize("name", sorted(init.INITIALIZERS))
def test_seeded_initializers_are_reproducible(name) -> None:
    fn = init.get_initializer(name)

    def small():
        return nn.Parameter(np.zeros((30, 20)))

    a, b, c = fn(small(), seed=5), fn(small(), seed=5), fn(small(), seed=6)
    np.testing.assert_array_equal(a.data, b.data)
    if name not in ("zeros", "ones"):
        assert not np.array_equal(a.data, c.data)
    rng1, rng2 = np.random.default_rng(1), np.random.default_rng(1)
    np.testing.assert_array_equal(fn(small(), seed=rng1).data, fn(small(), seed=rng2).data)


def test_constant_zeros_ones() -> None:
    w = weight()
    assert np.all(init.constant_(w, 0.3).data == 0.3)
    assert np.all(init.zeros_(w).data == 0)
    assert np.all(init.ones_(w).data == 1)


@pytest.mark.parametrize("shape", [(30, 50), (50, 30), (20, 20)])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape) -> None:
    w = init.orthogonal_(nn.Parameter(np.zeros(shape)), gain=1.5, seed=0).data
    gram = w @ w.T if shape[0] <= shape[1] else w.T @ w
    np.testing.assert_allclose(gram, 1.5**2 * np.eye(min(shape)), atol=1e-12)


@pytest.mark.parametrize(("nonlinearity", "param"), [
    ("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
    ("leaky_relu", 0.2), ("selu", None)])
def test_calculate_gain_matches_torch(nonlinearity, param) -> None:
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param))


def test_linear_default_init_is_pytorchs_uniform_one_over_sqrt_fan_in() -> None:
    # PyTorch: kaiming_uniform_(a=√5): bound = gain·√(3/fan_in), gain from leaky_relu(√5)
    fan_in = 400
    bound = torch.nn.init.calculate_gain("leaky_relu", math.sqrt(5)) * math.sqrt(3 / fan_in)
    assert bound == pytest.approx(1 / math.sqrt(fan_in))
    layer = nn.Linear(fan_in, 500, seed=0).double()
    assert stats.kstest(layer.weight.data.ravel(), uniform(bound).cdf).pvalue > 1e-3
    assert np.abs(layer.bias.data).max() <= bound
    assert stats.kstest(layer.bias.data, uniform(bound).cdf).pvalue > 1e-3
    assert layer.weight.dtype == np.float32 or layer.weight.dtype == np.float64


def test_linear_named_init_and_callable_init() -> None:
    layer = nn.Linear(200, 300, init="he_normal", seed=0)
    assert abs(layer.weight.data.std() / math.sqrt(2 / 200) - 1) < 0.02
    assert np.all(layer.bias.data == 0)
    calls = []

    def custom(w, seed):
        calls.append(seed)
        return init.constant_(w, 0.5)

    layer = nn.Linear(3, 2, init=custom)
    assert np.all(layer.weight.data == 0.5) and len(calls) == 1
    assert isinstance(calls[0], np.random.Generator)


def test_linear_seed_reproducible_and_reset_parameters() -> None:
    a, b = nn.Linear(5, 4, seed=11), nn.Linear(5, 4, seed=11)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    np.testing.assert_array_equal(a.bias.data, b.bias.data)
    before = a.weight
    a.reset_parameters(seed=12)
    assert a.weight is before and not np.array_equal(a.weight.data, b.weight.data)
    a.reset_parameters(seed=11)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)


def test_model_seed_makes_weights_and_noise_a_function_of_the_seed() -> None:
    def make():
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 2))

    a, b = make().seed(3), make().seed(3)
    for (name, p), (_, q) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
    x = np.ones((6, 4))
    np.testing.assert_array_equal(a(x).data, b(x).data)
    assert not np.array_equal(a[0].weight.data, a[3].weight.data[:, :4].T)  # layers differ
    c = make().seed(4)
    assert not np.array_equal(a[0].weight.data, c[0].weight.data)


def test_registry_resolves_names_once_and_suggests_on_typos() -> None:
    assert init.get_initializer("he_normal") is init.he_normal_
    assert init.get_initializer("Xavier_Uniform") is init.xavier_uniform_
    assert init.get_initializer(init.orthogonal_) is init.orthogonal_
    with pytest.raises(ValueError, match="did you mean 'he_normal'"):
        init.get_initializer("he_normall")
    with pytest.raises(ValueError, match="did you mean 'xavier_uniform'"):
        nn.Linear(2, 2, init="xavier_unifrom")
    with pytest.raises(ValueError, match="did you mean 'tanh'"):
        init.calculate_gain("tanhh")
    with pytest.raises(ValueError, match="fan_in and fan_out"):
        init.xavier_uniform_(nn.Parameter(np.zeros(3)))


def test_zero_init_gives_identical_units() -> None:
    layer = nn.Linear(3, 4, init="zeros")
    assert np.all(layer.weight.data == 0) and np.all(layer.bias.data == 0)
    assert ml.get_default_dtype() == layer.weight.dtype
