"""Config → model, loss, optimizer, schedule and penalty step (checked against PyTorch)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import mlplab.nn as nn
import mlplab.optim as optim
from mlplab.playground import model_builder as mb
from mlplab.playground.config import ACTIVATIONS, make_config, tf_compat
from mlplab.playground.run_state import PlaygroundRun


@pytest.mark.parametrize("act", ACTIVATIONS)
def test_every_activation_builds_and_runs(act):
    config = make_config({"activation": act, "network_shape": [3, 2], "batch_norm": True,
                          "dropout": 0.1, "gaussian_noise": 0.1, "layer_norm": True})
    run = PlaygroundRun(config)
    assert np.isfinite(run.train_epoch())
    kinds = [type(m).__name__ for m in run.model]
    assert kinds.count("Dropout") == kinds.count("GaussianNoise") == 2
    assert kinds.count("BatchNorm1d") == 2 and kinds[-1] == "Sigmoid"


def test_per_layer_regularizers_sit_in_their_own_layer():
    config = make_config({"network_shape": [4, 3, 2], "dropout": [0.0, 0.4, 0.0],
                          "batch_norm": [True, False, False], "layer_norm": [False, False, True],
                          "gaussian_noise": [0.0, 0.0, 0.3]})
    blocks: list[list] = []
    for module in mb.build_model(config):
        if isinstance(module, nn.Linear):
            blocks.append([])
        blocks[-1].append(module)
    names = [[type(m).__name__ for m in block] for block in blocks]
    assert names == [["Linear", "BatchNorm1d", "Tanh"], ["Linear", "Tanh", "Dropout"],
                     ["Linear", "LayerNorm", "Tanh", "GaussianNoise"], ["Linear", "Sigmoid"]]
    assert blocks[1][2].p == 0.4 and blocks[2][3].std == 0.3


@pytest.mark.parametrize("values, width, unit, loss", [
    ({}, 1, "sigmoid", nn.BCELoss),
    ({"loss": "half_mse"}, 1, "tanh", None),
    ({"loss": "hinge"}, 1, "linear", nn.HingeLoss),
    ({"dataset": "blobs", "classes": 5}, 5, "softmax", nn.CrossEntropyLoss),
    ({"problem": "regression"}, 1, "linear", nn.MSELoss),
    ({"problem": "regression", "loss": "mae"}, 1, "linear", nn.L1Loss),
    ({"problem": "regression", "loss": "huber"}, 1, "linear", nn.HuberLoss),
])
def test_output_unit_follows_the_loss(values, width, unit, loss):
    config = make_config(values)
    assert mb.output_units(config) == (width, unit)
    assert mb.weight_layers(mb.build_model(config))[-1].out_features == width
    if loss is not None:
        assert isinstance(mb.make_loss(config), loss)


def test_initializations():
    tf = mb.build_model(tf_compat(network_shape=[8, 8]))
    for layer in mb.weight_layers(tf):
        assert np.all(np.abs(layer.weight.data) <= 0.5) and np.all(layer.bias.data == 0.1)
    zeros = mb.build_model(make_config({"init": "zeros"}))
    assert all(not p.data.any() for p in zeros.parameters())
    a, b = (mb.build_model(make_config({"init": "he", "init_seed": s})) for s in (1, 1))
    c = mb.build_model(make_config({"init": "he", "init_seed": 2}))
    assert np.array_equal(a[0].weight.data, b[0].weight.data)
    assert not np.array_equal(a[0].weight.data, c[0].weight.data)


@pytest.mark.parametrize("name, cls, key, value", [
    ("sgd", optim.SGD, "momentum", 0.0), ("momentum", optim.SGD, "momentum", 0.8),
    ("nesterov", optim.SGD, "nesterov", True), ("adagrad", optim.Adagrad, "eps", 1e-6),
    ("rmsprop", optim.RMSprop, "alpha", 0.7), ("adadelta", optim.Adadelta, "rho", 0.7),
    ("adam", optim.Adam, "betas", (0.85, 0.99)),
])
def test_optimizers_and_their_hyperparameters(name, cls, key, value):
    config = make_config({"optimizer": name, "momentum": 0.8, "epsilon": 1e-6, "rho": 0.7,
                          "beta1": 0.85, "beta2": 0.99})
    opt = mb.build_optimizer(config, mb.build_model(config), 10)
    assert type(opt) is cls and opt.param_groups[0][key] == value


def test_schedules_over_epochs():
    def lr(kind, step):
        s = mb.make_schedule(make_config({"schedule": kind, "schedule_epochs": 2,
                                          "learning_rate": 0.1}), 5)
        return s if isinstance(s, float) else s(step)
    assert lr("constant", 99) == 0.1
    assert lr("step", 9) == 0.1 and lr("step", 10) == pytest.approx(0.05)
    assert lr("exponential", 10) == pytest.approx(0.05)
    assert lr("inverse_time", 10) == pytest.approx(0.05)
    assert lr("cosine", 5) == pytest.approx(0.05) and lr("cosine", 10) == pytest.approx(0.0)
    assert lr("cyclic", 0) == pytest.approx(0.01) and lr("cyclic", 10) == pytest.approx(0.1)
    assert lr("cyclic", 20) == pytest.approx(0.01)


def test_tf_l1_clamps_and_kills_a_link_subgradient_crosses():
    for mode, expected in (("tf", 0.0), ("subgradient", -0.09)):
        config = tf_compat(regularization="l1", regularization_rate=1.0, l1_mode=mode,
                           network_shape=[2])
        model = mb.build_model(config)
        w = mb.weight_layers(model)[0].weight.data
        w[0, 0] = 0.01
        dead = [None, None]
        mb.regularize(config, model, 0.1, dead)
        assert w[0, 0] == pytest.approx(expected, abs=1e-6)
        if mode == "tf":
            w[0, 0] = 0.5  # a later step cannot revive a dead link
            mb.regularize(config, model, 0.1, dead)
            assert w[0, 0] == 0.0 and dead[0][0, 0]


def test_one_tf_compat_step_matches_torch():
    torch.set_num_threads(1)
    run = PlaygroundRun(tf_compat(network_shape=[4, 2], batch_size=10))
    start = [p.data.copy() for p in run.model.parameters()]
    run.train_batch()
    linears = [torch.nn.Linear(2, 4), torch.nn.Linear(4, 2), torch.nn.Linear(2, 1)]
    net = torch.nn.Sequential(linears[0], torch.nn.Tanh(), linears[1], torch.nn.Tanh(),
                              linears[2], torch.nn.Tanh())
    with torch.no_grad():
        for layer, (w, b) in zip(linears, zip(start[::2], start[1::2], strict=True),
                                 strict=True):
            layer.weight.copy_(torch.from_numpy(w)), layer.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.SGD(net.parameters(), lr=0.03)
    x, t = torch.from_numpy(run.train_x[:10]), torch.from_numpy(run.train_t[:10])
    loss = 0.5 * torch.nn.functional.mse_loss(net(x), t)
    loss.backward()
    opt.step()
    for ours, theirs in zip(run.model.parameters(), net.parameters(), strict=True):
        assert np.allclose(ours.data, theirs.detach().numpy(), atol=1e-6)
