"""The playground's steps through the training plan: the same weights and losses as the
autograd path, bit for bit, with clipping and the penalty step still applied."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab.playground.run_state as run_state
from mlplab.playground.config import make_config
from mlplab.playground.run_state import PlaygroundRun
from mlplab.train.training_plan import plan_for

CONFIGS = {
    "bce, sigmoid output": {},
    "ce, 3 classes, relu": {"dataset": "spiral", "classes": 3, "activation": "relu"},
    "regression, mse, elu": {"problem": "regression", "activation": "elu"},
    "clip and L1 (tf mode)": {"clip": 0.5, "regularization": "l1",
                              "regularization_rate": 0.01},
    "L2, leaky relu, adam": {"regularization": "l2", "regularization_rate": 0.01,
                             "activation": "leaky_relu", "optimizer": "adam"},
    "half mse (plain path)": {"loss": "half_mse"},
    "dropout (plain path)": {"dropout": 0.2},
}


def train(values: dict, planned: bool, monkeypatch) -> PlaygroundRun:
    with monkeypatch.context() as m:
        if not planned:
            m.setattr(run_state, "plan_for", lambda *a: None)
        run = PlaygroundRun(make_config({"network_shape": [5, 4], **values}))
        losses = [run.train_epoch() for _ in range(3)]
    run.losses_seen = losses
    return run


@pytest.mark.parametrize("name", list(CONFIGS))
def test_playground_epochs_match_the_autograd_path(name, monkeypatch):
    planned = train(CONFIGS[name], True, monkeypatch)
    plain = train(CONFIGS[name], False, monkeypatch)
    assert planned.losses_seen == plain.losses_seen
    assert planned.scalars == plain.scalars
    for p, q in zip(planned.model.parameters(), plain.model.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_the_default_run_takes_the_plan():
    run = PlaygroundRun(make_config({}))
    assert plan_for(run.model, run.loss_fn) is not None


def test_a_diverging_step_returns_the_loss_and_leaves_the_weights(monkeypatch):
    run = PlaygroundRun(make_config({"network_shape": [4]}))
    run.train_t = run.train_t.copy()
    run.train_t[:] = np.nan
    before = [p.data.copy() for p in run.model.parameters()]
    assert not np.isfinite(run.train_batch())
    for p, saved in zip(run.model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, saved)
        assert p.grad is None
