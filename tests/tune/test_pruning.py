"""Pruning: a trial whose dev loss stays far above the others' is stopped early."""

from __future__ import annotations

import optuna

from mlplab.tune import parse_space
from mlplab.tune.objective import Objective
from mlplab.tune.pruning import make_pruner


def test_a_hopeless_trial_is_pruned_after_a_few_epochs(base):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(pruner=make_pruner("median"))
    good = parse_space({"lr": {"uniform": [0.04, 0.06]}}, base)
    study.optimize(Objective(base, good), n_trials=4)  # the median pruner's startup trials
    hopeless = parse_space({"lr": {"uniform": [1e-7, 2e-7]}}, base)  # weights barely move
    study.optimize(Objective(base, hopeless), n_trials=1)
    last = study.trials[-1]
    assert [t.state.name for t in study.trials] == ["COMPLETE"] * 4 + ["PRUNED"]
    assert len(last.intermediate_values) < base.epochs  # stopped before the end
    assert last.intermediate_values[max(last.intermediate_values)] > study.best_value


def test_halving_and_none_are_optuna_pruners():
    assert isinstance(make_pruner("halving"), optuna.pruners.SuccessiveHalvingPruner)
    assert isinstance(make_pruner("none"), optuna.pruners.NopPruner)
