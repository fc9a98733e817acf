"""Every network, regularizer, optimizer and schedule setting reaches the run it configures.

Each new setting is checked end to end on a tiny synthetic run: the config goes in,
and the trained model (or its optimizer, or its history) shows the setting took effect.
"""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab.runs import make_config, run_experiment
from mlplab.runs.models import build_mlp, mlp_from_config
from mlplab.runs.optimizers import build_optimizer


def _run(tmp_path, **settings):
    base = dict(data="synthetic:xor,n=120", hidden=[8, 6], epochs=3, batch_size=16,
                early_stopping=False, output_dir=str(tmp_path))
    return run_experiment(make_config({**base, **settings}))


def _kinds(model):
    return [type(layer).__name__ for layer in model]


@pytest.mark.parametrize("settings,kinds", [
    ({"norm": "batch"}, ["Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU",
                         "Linear"]),
    ({"norm": "layer", "activation": "tanh"}, ["Linear", "LayerNorm", "Tanh", "Linear",
                                               "LayerNorm", "Tanh", "Linear"]),
    ({"gaussian_noise": 0.1}, ["GaussianNoise", "Linear", "ReLU", "Linear", "ReLU", "Linear"]),
    ({"dropout": [0.3, 0.0]}, ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Linear"]),
    ({"activation": ["elu", "maxout"], "maxout_pieces": 3},
     ["Linear", "ELU", "Maxout", "Linear"]),
])
def test_network_settings_build_the_right_layers_and_train(tmp_path, settings, kinds):
    result = _run(tmp_path, **settings)
    assert _kinds(result.model) == kinds
    assert np.isfinite(result.history["loss"]).all() and result.epochs_run == 3
    layers = list(result.model)
    if "dropout" in settings:
        assert layers[2].p == 0.3
    if "maxout_pieces" in settings:
        assert layers[2].pieces == 3 and layers[2].out_features == 6
    if "gaussian_noise" in settings:
        assert layers[0].std == 0.1


def test_per_layer_init_reaches_each_linear_layer(tmp_path):
    result = _run(tmp_path, init=["he_normal", "orthogonal", "zeros"], epochs=0)
    linears = [m for m in result.model if type(m).__name__ == "Linear"]
    assert [m.init for m in linears] == ["he_normal", "orthogonal", "zeros"]
    assert not linears[2].weight.data.any()  # zeros, before any training
    w = linears[1].weight.data.astype(np.float64)  # orthogonal rows: W Wᵀ = I
    np.testing.assert_allclose(w @ w.T, np.eye(6), atol=1e-5)


def test_build_mlp_gives_every_layer_its_own_stream():
    model = build_mlp(5, 5, [5], "relu", dropout=0.2, seed=0)
    first, last = model[0].weight.data, model[3].weight.data
    assert not np.allclose(first, last)  # one int seed, two different draws
    again = build_mlp(5, 5, [5], "relu", dropout=0.2, seed=0)
    np.testing.assert_array_equal(again[0].weight.data, first)
    config = make_config(hidden=[5], seed=3)
    np.testing.assert_array_equal(mlp_from_config(config, 5, 2)[0].weight.data,
                                  build_mlp(5, 2, [5], seed=3)[0].weight.data)


def _weights(model):
    return [p.data.astype(np.float64) for p in model.parameters() if p.data.ndim == 2]


def test_l1_penalty_shrinks_the_weights(tmp_path):
    settings = dict(hidden=[16], epochs=10, lr=0.01, seed=1)
    plain = _run(tmp_path / "plain", **settings)
    sparse = _run(tmp_path / "l1", l1=0.01, **settings)
    assert sum(np.abs(w).sum() for w in _weights(sparse.model)) < \
        0.8 * sum(np.abs(w).sum() for w in _weights(plain.model))
    # evaluations report the data loss only: the penalty is part of training
    assert sparse.metrics["train"]["loss"] < sparse.history["loss"][-1]


def test_max_norm_bounds_every_units_incoming_weights(tmp_path):
    result = _run(tmp_path, hidden=[16], epochs=5, lr=0.1, init="normal", max_norm=0.5)
    for w in _weights(result.model):
        assert np.linalg.norm(w, axis=1).max() <= 0.5 + 1e-5


def test_plateau_schedule_lowers_the_learning_rate(tmp_path):
    # a step too large for noisy moons: the dev loss stalls, so α is halved
    result = _run(tmp_path, data="synthetic:moons,n=120,noise=0.4", epochs=8, lr=2.0,
                  optimizer="sgd", schedule="plateau", decay_rate=0.5, decay_epochs=1.0,
                  validation_split=0.2)
    lrs = result.history["lr"]
    assert lrs[0] == 2.0 and min(lrs) < 2.0
    assert set(lrs) <= {2.0 * 0.5 ** k for k in range(9)}


@pytest.mark.parametrize("settings,expected", [
    ({"optimizer": "sgd", "momentum": 0.9, "nesterov": True},
     {"momentum": 0.9, "nesterov": True}),
    ({"optimizer": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "amsgrad": True},
     {"betas": (0.8, 0.99), "eps": 1e-6, "amsgrad": True}),
    ({"optimizer": "adamw", "beta2": 0.95, "weight_decay": 0.05},
     {"betas": (0.9, 0.95), "weight_decay": 0.05}),
    ({"optimizer": "rmsprop", "rho": 0.8, "momentum": 0.5, "centered": True, "eps": 1e-7},
     {"alpha": 0.8, "momentum": 0.5, "centered": True, "eps": 1e-7}),
    ({"optimizer": "adagrad", "eps": 1e-8}, {"eps": 1e-8}),
    ({"optimizer": "adadelta", "rho": 0.95, "lr": 1.0}, {"rho": 0.95, "lr": 1.0}),
])
def test_optimizer_settings_reach_the_optimizer(settings, expected):
    model = build_mlp(4, 3, [5], seed=0)
    optimizer = build_optimizer(model, make_config(**settings), steps_per_epoch=4)
    assert isinstance(optimizer, ml.optim.OPTIMIZERS[settings["optimizer"]])
    group = optimizer.param_groups[0]
    for key, value in expected.items():
        assert tuple(group[key]) == value if key == "betas" else group[key] == value


def test_an_optimizer_with_its_settings_trains_end_to_end(tmp_path):
    result = _run(tmp_path, optimizer="rmsprop", lr=0.01, rho=0.9, centered=True, epochs=10,
                  clip_grad_norm=1.0, hidden=[16])
    assert result.history["loss"][-1] < result.history["loss"][0]
    assert result.config.rho == 0.9 and result.config.clip_grad_norm == 1.0


def test_every_setting_is_listed_in_a_section():
    from mlplab.runs.config import SECTIONS, TrainConfig

    for name, field in TrainConfig.model_fields.items():
        assert field.description, name
        assert field.json_schema_extra["section"] in SECTIONS, name
