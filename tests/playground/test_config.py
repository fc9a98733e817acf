"""PlaygroundConfig: defaults, one-line errors, and the URL hash ↔ JSON ↔ flags round trip."""

from __future__ import annotations

import shlex

import pytest

from mlplab.checks import ParameterError
from mlplab.playground.config import TF_COMPAT, PlaygroundConfig, make_config, tf_compat
from mlplab.playground.schema import schema
from mlplab.playground.url_state import from_flags, from_url_hash, to_flags, to_url_hash

CONFIGS = [
    {},
    {"dataset": "spiral", "network_shape": [8, 8], "x_squared": True, "noise": 35},
    {"dataset": "spirals", "classes": 4, "loss": "ce", "optimizer": "adam", "beta1": 0.8,
     "layer_activations": ["relu", "maxout"], "network_shape": [6, 3], "dropout": 0.2},
    {"problem": "regression", "reg_dataset": "multigauss", "loss": "huber", "batch_size": 0,
     "schedule": "cyclic", "init": "he", "hide": ["noise", "text"], "learning_rate": 0.0123},
    {"network_shape": [], "regularization": "l1", "regularization_rate": 0.003,
     "l1_mode": "subgradient", "init_seed": 42, "seed": 7, "show_test_data": True},
    {"network_shape": [5, 4, 3], "dropout": [0.0, 0.35, 0.1], "batch_norm": [True, False,
     True], "layer_norm": [False, True, False], "gaussian_noise": [0.25, 0.0, 0.0]},
]


def test_tf_defaults_where_tf_has_them():
    c = PlaygroundConfig()
    assert (c.learning_rate, c.activation, c.network_shape, c.batch_size, c.noise,
            c.perc_train_data, c.dataset, c.features()) == (
        0.03, "tanh", [4, 2], 10, 0, 50, "circle", ["x", "y"])
    assert c.resolved_loss() == "bce"
    tf = tf_compat()
    assert {k: getattr(tf, k) for k in TF_COMPAT} == TF_COMPAT


@pytest.mark.parametrize("values", CONFIGS)
def test_round_trip_hash_json_flags(values):
    config = make_config(values)
    assert from_url_hash(to_url_hash(config))[0] == config
    assert from_url_hash("#" + to_url_hash(config, all_fields=True))[0] == config
    assert make_config(config.model_dump()) == config
    assert from_flags(shlex.split(to_flags(config))) == config


def test_tf_playground_url_opens():
    url = ("activation=relu&batchSize=12&dataset=xor&regDataset=reg-gauss&learningRate=0.1"
           "&regularizationRate=0.01&noise=15&networkShape=5,3&seed=0.58912&showTestData=true"
           "&discretize=false&percTrainData=70&x=true&y=false&xTimesY=true&xSquared=false"
           "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=true&collectStats=false"
           "&problem=classification&initZero=true&hideText=true&noise_hide=true"
           "&regularization=L2")
    config, notes = from_url_hash(url)
    assert (config.activation, config.batch_size, config.dataset, config.reg_dataset,
            config.network_shape, config.init, config.regularization) == (
        "relu", 12, "xor", "multigauss", [5, 3], "zeros", "l2")
    assert config.features() == ["x", "x_times_y", "sin_y"]
    assert sorted(config.hide) == ["noise", "text"]
    assert 0 <= config.seed < 2**31
    assert len(notes) == 3 and all("ignored" in n for n in notes)  # cosX, cosY, collectStats


@pytest.mark.parametrize("values, words", [
    ({"learning_rate": -1}, "learning_rate"),
    ({"datset": "xor"}, "did you mean 'dataset'"),
    ({"dataset": "foo"}, "one of circle"),
    ({"network_shape": [4, 100]}, "1 to 64"),
    ({"layer_activations": ["relu"]}, "one name per hidden layer"),
    ({"dropout": [0.1, 0.2, 0.3]}, "one value per hidden layer (2), got 3"),
    ({"batch_norm": [True, False, True]}, "batch_norm needs one value per hidden layer"),
    ({"dropout": [0.1, 0.95]}, "less than or equal to 0.9"),
    ({"gaussian_noise": [-1.0, 0.0]}, "gaussian_noise"),
    ({"x": False, "y": False}, "at least one input feature"),
    ({"dataset": "blobs", "loss": "bce"}, "need loss 'ce'"),
    ({"problem": "regression", "loss": "bce"}, "is for classification"),
    ({"loss": "mse"}, "is for regression"),
])
def test_bad_settings_give_one_line(values, words):
    with pytest.raises(ParameterError) as info:
        make_config(values)
    message = str(info.value)
    assert words in message and "\n" not in message and "e.g." in message


def test_tf_noise_rules():
    assert from_url_hash("noise=80")[0].noise == 80
    assert from_url_hash("noise=95")[0].noise == 50
    assert from_url_hash("noise=-5")[0].noise == 0


def test_bad_hash_value_and_flag():
    with pytest.raises(ParameterError, match="noise must be an integer"):
        from_url_hash("noise=lots")
    with pytest.raises(ParameterError, match="did you mean '--dataset'"):
        from_flags(["--datset", "xor"])
    with pytest.raises(ParameterError, match="needs a value"):
        from_flags(["--dataset"])
    assert from_flags(["--network-shape=3,3"]).network_shape == [3, 3]


def test_schema_lists_every_field_with_url_key_and_datasets():
    s = schema()
    assert set(s["fields"]) == set(PlaygroundConfig.model_fields)
    lr = s["fields"]["learning_rate"]
    assert (lr["url_key"], lr["resets"], lr["default"], lr["type"]) == (
        "learningRate", False, 0.03, "float")
    assert s["fields"]["activation"]["resets"] and "maxout" in s["fields"]["activation"][
        "choices"]
    assert s["fields"]["network_shape"]["type"] == "list[int]"
    assert s["datasets"]["spirals"]["classes"] == 3
    assert s["datasets"]["plane"]["problem"] == "regression"


def test_per_layer_settings_one_value_spreads_and_off_is_empty():
    spread = make_config({"network_shape": [4, 3, 2], "dropout": 0.2, "batch_norm": True})
    assert spread.dropout == [0.2] * 3 and spread.batch_norm == [True] * 3
    assert from_flags(["--network-shape", "4,3,2", "--dropout", "0.2"]) == make_config(
        {"network_shape": [4, 3, 2], "dropout": [0.2, 0.2, 0.2]})
    assert make_config({"dropout": [0.0, 0.0], "layer_norm": [False, False]}).dropout == []
    one = make_config({"dropout": [0.0, 0.3], "gaussian_noise": [0.5, 0.0]})
    assert (one.per_layer("dropout", 0), one.per_layer("dropout", 1)) == (0.0, 0.3)
    assert one.per_layer("batch_norm", 1) is False
    assert "dropout=0.0,0.3" in to_url_hash(one) and "--gaussian-noise 0.5,0.0" in to_flags(one)
    hash_config = from_url_hash("networkShape=3,3&batchNorm=true,false&layerNorm=false,true")[0]
    assert (hash_config.batch_norm, hash_config.layer_norm) == ([True, False], [False, True])
    fields = schema()["fields"]
    assert (fields["dropout"]["type"], fields["dropout"]["max"], fields["dropout"]["default"]
            ) == ("list[float]", 0.9, [])
    assert fields["batch_norm"]["type"] == "list[bool]" and fields["gaussian_noise"]["max"] == 5.0
