"""Coarse to fine: the next round's range is the span of the best 20 % on the same scale,
padded by 10 % of that span, inside the old range."""

from __future__ import annotations

import math

import pytest

from mlplab.tune import parse_space, zoom_space


def _trials(space, rows):
    """Complete FrozenTrials with stored params ``rows[i][0]`` and value ``rows[i][1]``."""
    import optuna

    dists = {}
    for d in space:
        if d.kind == "choice":
            dists[d.param] = optuna.distributions.CategoricalDistribution(list(d.choices))
        else:
            low, high = d.stored_range()
            dists[d.param] = (optuna.distributions.IntDistribution(int(low), int(high),
                                                                   log=d.is_log)
                              if d.is_int else
                              optuna.distributions.FloatDistribution(low, high, log=d.is_log))
    return [optuna.trial.create_trial(params=p, distributions=dists, value=v) for p, v in rows]


def test_log_range_shrinks_to_the_best_fifth_on_a_log_scale():
    space = parse_space({"lr": {"log_uniform": [1e-4, 1.0]},
                         "hidden": {"choice": ["8", "16", "32"]}})
    best = [3e-3, 8e-3, 2e-2]  # 15 trials: the best 20 % are these three
    rows = [({"lr": lr, "hidden": "16" if lr != 2e-2 else "32"}, 0.1 + i * 0.01)
            for i, lr in enumerate(best)]
    rows += [({"lr": 10 ** (-4 + 4 * i / 11), "hidden": "8"}, 1.0 + i) for i in range(12)]
    zoomed = zoom_space(space, _trials(space, rows), maximize=False)
    lr, hidden = zoomed.dimensions
    span = math.log(2e-2) - math.log(3e-3)
    assert lr.kind == "log_uniform"
    assert lr.low == pytest.approx(3e-3 * math.exp(-0.1 * span))
    assert lr.high == pytest.approx(2e-2 * math.exp(0.1 * span))
    assert hidden.choices == ("8", "16", "32")  # Optuna fixes a study's choices


def test_beta_trick_and_maximize_and_int_ranges():
    space = parse_space({"momentum": {"one_minus_log_uniform": [0.9, 0.999]},
                         "epochs": {"int_uniform": [1, 100]}})
    rows = [({"one_minus_momentum": 1e-2, "epochs": 40}, 0.99),
            ({"one_minus_momentum": 1e-2, "epochs": 40}, 0.98),
            ({"one_minus_momentum": 1e-2, "epochs": 40}, 0.97),
            ({"one_minus_momentum": 0.05, "epochs": 3}, 0.5),
            ({"one_minus_momentum": 0.09, "epochs": 90}, 0.4)]
    momentum, epochs = zoom_space(space, _trials(space, rows), maximize=True).dimensions
    # one value: keep a quarter of the old range (on log(1 − β)) centred on it
    half = 0.25 * (math.log(0.1) - math.log(0.001)) / 2
    assert 1 - momentum.high == pytest.approx(1e-2 * math.exp(-half))
    assert 1 - momentum.low == pytest.approx(1e-2 * math.exp(half))
    assert epochs.low <= 40 <= epochs.high and epochs.high - epochs.low <= 26
    assert float(epochs.low).is_integer() and float(epochs.high).is_integer()


def test_too_few_trials_leave_the_space_alone():
    space = parse_space({"lr": {"log_uniform": [1e-4, 1.0]}})
    assert zoom_space(space, _trials(space, [({"lr": 0.01}, 0.1)]), False) == space


def test_a_zoomed_search_samples_the_second_round_inside_its_region(tmp_path, base, space):
    from mlplab.tune import search

    result = search(base, space, n_trials=8, zoom=2, out=tmp_path, study="zoom",
                    pruner="none", report=False)
    assert len(result.regions) == 2
    low, high = result.regions[1]["lr"]["log_uniform"]
    assert 1e-4 <= low < high <= 1.0 and high / low < 1e4
    second = [t for t in result.trials("COMPLETE") if t.user_attrs["round"] == 1]
    assert len(second) == 4 and len(result.trials("COMPLETE")) == 8
    assert all(low <= t.params["lr"] <= high for t in second)
    assert result.study.user_attrs["regions"] == result.regions
