"""The lab's experiments show what they claim, in numbers (and draw it)."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab.lab as lab


def _std_by_layer(records, kind="activation"):
    return [r["std"] for r in records if r["kind"] == kind]


@pytest.fixture(scope="module")
def tanh_runs():
    return lab.compare_initializations(depth=6, width=128, activation="tanh")


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
    relu = lab.compare_initializations(("small_normal", "he"), activation="relu", depth=6,
                                      width=128)
    he = _std_by_layer(relu["he"])
    assert 0.5 < he[-1] / he[0] < 2.0
    assert _std_by_layer(relu["small_normal"])[-1] < 1e-4


def test_hidden_units_bend_the_boundary(tmp_path):
    accuracy = lab.compare_hidden_sizes("xor", hidden_sizes=(0, 8), epochs=150, out_dir=tmp_path)
    assert accuracy[0] <= 0.8  # a linear boundary cannot separate XOR
    assert accuracy[8] >= 0.95
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "boundary_xor_0_hidden.png", "boundary_xor_8_hidden.png"]


def test_optimizer_race_draws_and_adaptive_methods_win(tmp_path):
    race = {k: lab.DEFAULT_OPTIMIZERS[k] for k in ("SGD", "Momentum", "Adam")}
    curves = lab.optimizer_race(race, epochs=25, out_dir=tmp_path)
    assert set(curves) == {"SGD", "Momentum", "Adam"}
    assert all(np.isfinite(c).all() and len(c) == 25 for c in curves.values())
    assert curves["Momentum"][-1] < curves["SGD"][-1]
    assert curves["Adam"][-1] < curves["SGD"][-1]
    assert (tmp_path / "optimizers_spirals.png").stat().st_size > 10_000


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="deep_network: scheme must be one of 'zeros'"):
        lab.deep_network("glorot-ish")


def test_an_unknown_dataset_is_refused_not_replaced():
    with pytest.raises(ValueError, match="dataset must be one of .*did you mean 'moons'"):
        lab.optimizer_race(dataset="moon", epochs=1)


def test_the_race_runs_on_the_dataset_it_is_given(tmp_path):
    race = {k: lab.DEFAULT_OPTIMIZERS[k] for k in ("SGD", "Adam")}
    curves = lab.optimizer_race(race, dataset="moons", epochs=3, out_dir=tmp_path)
    assert len(curves["Adam"]) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["optimizers_moons.png"]
