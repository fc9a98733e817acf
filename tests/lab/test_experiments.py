"""The helpers behind two lab experiments measure what their claims read: the
initialization statistics (``initializations``) and the hidden-width fits (``hidden-sizes``)."""

from __future__ import annotations

import pytest

from mlplab.lab.experiments.hidden_sizes import compare_hidden_sizes
from mlplab.lab.experiments.initialization import compare_initializations, deep_network
from mlplab.lab.toy_data import toy_dataset


def _std_by_layer(records, kind="activation"):
    return [r["std"] for r in records if r["kind"] == kind]


@pytest.fixture(scope="module")
def tanh_runs():
    return compare_initializations(depth=6, width=128, activation="tanh")


def test_zero_init_keeps_every_unit_identical(tanh_runs):
    # all-zero weights: every unit of a layer computes the same value (here 0) — symmetry
    assert max(_std_by_layer(tanh_runs["zeros"])) == 0.0


def test_small_init_collapses_and_large_init_saturates(tanh_runs):
    small = _std_by_layer(tanh_runs["small_normal"])
    assert small[-1] < small[0] * 1e-4  # each layer shrinks the signal ~ n σ² ≈ 0.013 times
    large = [r for r in tanh_runs["large_normal"] if r["kind"] == "activation"]
    assert min(r["saturated_fraction"] for r in large) > 0.5  # piled up at ±1


def test_xavier_for_tanh_and_he_for_relu_keep_the_signal(tanh_runs):
    xavier = _std_by_layer(tanh_runs["xavier"])
    assert xavier[-1] > 0.2 * xavier[0]
    relu = compare_initializations(("small_normal", "he"), activation="relu", depth=6,
                                      width=128)
    he = _std_by_layer(relu["he"])
    assert 0.5 < he[-1] / he[0] < 2.0
    assert _std_by_layer(relu["small_normal"])[-1] < 1e-4


def test_hidden_units_bend_the_boundary():
    X, y = toy_dataset("xor", n=400, seed=0, noise=0.15)
    fits = compare_hidden_sizes(X, y, hidden_sizes=(0, 8), epochs=150)
    assert fits[0][1] <= 0.8  # a linear boundary cannot separate XOR
    assert fits[8][1] >= 0.95


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="deep_network: scheme must be one of 'zeros'"):
        deep_network("glorot-ish")


def test_an_unknown_dataset_is_refused_not_replaced():
    with pytest.raises(ValueError, match="dataset must be one of .*did you mean 'moons'"):
        toy_dataset("moon", n=10, seed=0, owner="hidden-sizes")
