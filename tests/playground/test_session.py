"""The worker's commands, determinism, stop conditions, divergence, and two learning runs."""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.autograd.tensor import Tensor
from mlplab.checks import ParameterError
from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config, tf_compat
from mlplab.playground.run_state import PlaygroundRun
from mlplab.playground.session import Session, parse_and_submit
from mlplab.playground.snapshot import build_snapshot, forward_layers, grid_points


def weights(session_or_run):
    run = getattr(session_or_run, "run", session_or_run)
    return [p.data.copy() for p in run.model.parameters()]


def cmd(session, **body):
    return parse_and_submit(session, body)


def test_same_seeds_same_weights_other_seed_other_weights():
    config = make_config({"network_shape": [3], "num_samples": 100})
    a, b = PlaygroundRun(config), PlaygroundRun(config)
    c = PlaygroundRun(make_config({"network_shape": [3], "num_samples": 100, "init_seed": 1}))
    for run in (a, b, c):
        for _ in range(3):
            run.train_epoch()
    assert all(np.array_equal(x, y) for x, y in zip(weights(a), weights(b), strict=True))
    assert not np.array_equal(weights(a)[0], weights(c)[0])


def test_step_reset_new_weights_regenerate():
    s = Session(make_config({"num_samples": 100}))
    first = weights(s)
    assert cmd(s, op="step", epochs=2)["ok"] and s.run.epoch == 2
    assert [row["epoch"] for row in s.state()["scalars"]] == [1, 2]
    cmd(s, op="reset")
    assert s.run.epoch == 0 and s.state()["scalars"] == []
    assert all(np.array_equal(x, y) for x, y in zip(first, weights(s), strict=True))
    cmd(s, op="new_weights")
    assert not np.array_equal(first[0], weights(s)[0])
    kept, points = weights(s), s.run.data.train_x.copy()
    cmd(s, op="regenerate")
    assert not np.array_equal(points, s.run.data.train_x)
    assert np.array_equal(kept[0], weights(s)[0]) and s.state()["data_version"] == 1


def test_step_batch_counts_iterations_then_an_epoch():
    s = Session(make_config({"num_samples": 40, "batch_size": 10}))  # 20 training points
    cmd(s, op="step_batch")
    assert (s.run.iteration, s.run.epoch, len(s.run.scalars)) == (1, 0, 0)
    cmd(s, op="step_batch")
    assert (s.run.iteration, s.run.epoch, len(s.run.scalars)) == (2, 1, 1)


def test_set_resets_only_when_it_must():
    s = Session(make_config({"num_samples": 100}))
    cmd(s, op="step")
    assert cmd(s, op="set", config={"learning_rate": 0.3})["reset"] is False
    assert s.run.epoch == 1 and s.run.optimizer.param_groups[0]["lr"] == 0.3
    assert cmd(s, op="set", config={"networkShape": "5"})["reset"] is True
    assert s.run.epoch == 0 and s.run.model[0].out_features == 5
    cmd(s, op="set", config={"noise": 20})
    assert s.run.data_version == 1


def test_edit_weight_bias_and_points():
    s = Session(make_config({"num_samples": 100}))
    cmd(s, op="edit_weight", layer=1, to=1, **{"from": 3}, value=0.25)
    cmd(s, op="edit_bias", layer=2, unit=0, value=-0.5)
    net = s.state()["network"]
    assert net["weights"][1][1][3] == 0.25 and net["biases"][2][0] == -0.5
    n = len(s.run.data.train_x)
    cmd(s, op="add_point", x=5.5, y=-5.5, label=1)
    assert len(s.run.data.train_x) == n + 1 and s.state()["data"]["train"][-1] == [5.5, -5.5, 1]
    cmd(s, op="remove_point", x=5.4, y=-5.4)
    assert len(s.run.data.train_x) == n


@pytest.mark.parametrize("body, words", [
    ({"op": "edit_weight", "layer": 9, "to": 0, "from": 0, "value": 1}, "layer must be below"),
    ({"op": "edit_weight", "layer": 0, "to": 9, "from": 0, "value": 1}, "outside layer 0"),
    ({"op": "add_point", "x": 0, "y": 0, "label": 3}, "class index 0 to 1"),
    ({"op": "add_point", "x": 60, "y": 0, "label": 1}, "less than or equal to 6"),
    ({"op": "speed", "epochs_per_frame": 0}, "1 to 1000"),
    ({"op": "set", "config": {"batch_size": -2}}, "batch_size"),
    ({"op": "jump"}, "op must be one of"),
    ({"op": "play", "now": True}, "now is not an argument"),
])
def test_bad_commands_one_line(body, words):
    s = Session(make_config({"num_samples": 20}))
    with pytest.raises(ParameterError) as info:
        parse_and_submit(s, body)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_divergence_pauses_with_advice():
    s = Session(make_config({"problem": "regression", "learning_rate": 10,
                             "network_shape": [8, 8], "activation": "relu"}))
    cmd(s, op="step", epochs=50)
    message = s.state()["message"]
    assert message["level"] == "error" and "diverged" in message["text"]
    assert "try 1" in message["text"] and s.running is False
    assert s.run.epoch < 50


def test_max_epochs_and_early_stopping():
    s = Session(make_config({"num_samples": 60, "max_epochs": 3}))
    s.running = True
    for _ in range(5):
        if s.running:
            s._one_epoch()
    assert s.run.epoch == 3 and not s.running and s.run.message["level"] == "info"
    s = Session(make_config({"num_samples": 60, "patience": 2, "learning_rate": 3,
                             "optimizer": "sgd"}))
    s.running = True
    while s.running and s.run.epoch < 300:
        s._one_epoch()
    best = s.run.early_stopping
    assert "Early stopping" in s.run.message["text"]
    assert s.run.epoch - best.best_epoch == 2
    saved = best._best_weights
    assert all(np.array_equal(value, saved[name]) for name, value in
               s.run.model.state_dict().items())


def train_until(config, limit, epochs):
    run = PlaygroundRun(config)
    for _ in range(epochs):
        run.train_epoch()
        if run.scalars[-1]["test_loss"] < limit:
            break
    return run


def test_tf_compat_circle_learns_like_tf_playground():
    run = train_until(tf_compat(dataset="circle", network_shape=[4, 2]), 0.05, 500)
    assert run.scalars[-1]["test_loss"] < 0.05 and run.epoch < 500


def test_xor_with_2_4_1_tanh_net():
    run = train_until(tf_compat(dataset="xor", network_shape=[4], learning_rate=0.1), 0.05,
                      500)
    assert run.scalars[-1]["test_loss"] < 0.05 and run.scalars[-1]["test_accuracy"] > 0.95


def test_heatmap_and_metrics_are_computed_in_eval_mode():
    config = make_config({"num_samples": 100, "dropout": [0.5, 0.0],
                          "gaussian_noise": [0.0, 1.0], "batch_norm": [True, False]})
    run = PlaygroundRun(config)
    run.train_epoch()
    first, second = build_snapshot(run), build_snapshot(run)
    assert first["heat"]["values"] == second["heat"]["values"]  # no dropout mask, no noise
    assert first["mode"] == "eval"
    assert first["train_only"] == ["L0 BatchNorm1d", "L0 dropout p=0.5", "L1 noise σ=1"]
    assert run.scalars[-1]["loss"] == run.losses(run.train_x, run.train_t)[0]
    x = mb.feature_matrix(grid_points(), config.features())
    _, clean = forward_layers(run, x)
    run.model.train()  # in training mode the same grid gives another (random) picture
    assert not np.allclose(run.model(Tensor(x)).data, clean)
    assert build_snapshot(PlaygroundRun(make_config({"num_samples": 50})))["train_only"] == []
