"""TrainConfig: defaults, TOML round trips, CLI overrides, data sources, one-line errors."""

from __future__ import annotations

import pytest

from mlplab.runs.config import (
    ConfigError,
    DataSpec,
    TrainConfig,
    load_config,
    make_config,
    parse_data_spec,
)


def _write(tmp_path, text, name="run.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_valid_and_name_the_run_after_the_data():
    config = TrainConfig()
    assert config.data == "digits" and config.hidden == [128] and config.task == "classify"
    assert str(config.run_dir) == "runs/digits"
    assert make_config(data="synthetic:moons").run_name == "synthetic-moons"
    assert make_config(data="csv:some/dir/adult.csv,target=income").run_name == "adult"


def test_toml_round_trip_gives_the_same_config(tmp_path):
    config = make_config(data="synthetic:spirals,n=600,noise=0.3", hidden=[64, 32],
                         activation="tanh", init="xavier_uniform", optimizer="sgd",
                         momentum=0.9, schedule="exponential", lr=0.05, dropout=0.1,
                         standardize=True, clip_grad_norm=1.0, name="spiral-run")
    text = make_config(data="tsv:新闻/train.txt", task="text", hidden=[],
                       options={"test": "新闻/é ü \"quoted\".txt", "model": "softmax"})
    layered = make_config(hidden=[16, 8], activation=["tanh", "maxout"], dropout=[0.2, 0.1],
                          init=["he_normal", "orthogonal", "zeros"], norm="batch", l1=1e-5,
                          max_norm=3.0, gaussian_noise=0.1, optimizer="rmsprop", rho=0.8,
                          eps=1e-7, centered=True, schedule="plateau", loss="cross_entropy")
    for original in (config, text, layered):
        again = load_config(_write(tmp_path, original.to_toml()))
        assert again == original
        assert again.model_dump() == original.model_dump()


def test_flags_override_file_values_and_none_means_not_given(tmp_path):
    path = _write(tmp_path, 'data = "synthetic:xor"\nepochs = 7\nlr = 0.1\nhidden = [4]\n')
    config = load_config(path, epochs=3, lr=None, hidden="8, 4")
    assert config.epochs == 3  # the flag wins
    assert config.lr == 0.1  # a flag that was not given (None) leaves the file's value
    assert config.hidden == [8, 4]  # "--hidden 8,4" is parsed into widths
    assert load_config(path, hidden="").hidden == []  # softmax regression


@pytest.mark.parametrize("spec,expected", [
    ("digits", DataSpec("digits")),
    ("mnist", DataSpec("mnist")),
    ("mnist:/data/mnist", DataSpec("mnist", path="/data/mnist")),
    ("Fashion_MNIST:x", DataSpec("fashion-mnist", path="x")),
    ("csv:a.csv", DataSpec("csv", path="a.csv")),
    ("csv:dir,with,commas/a.csv,target=y", DataSpec("csv", path="dir,with,commas/a.csv",
                                                    options={"target": "y"})),
    ("synthetic:moons,n=50,noise=0.3", DataSpec("synthetic", name="moons",
                                                options={"n": "50", "noise": "0.3"})),
])
def test_data_sources_parse(spec, expected):
    assert parse_data_spec(spec) == expected


@pytest.mark.parametrize("spec,fragment", [
    ("digit", "did you mean 'digits'?"),
    ("synthetic:moon", "did you mean 'moons'?"),
    ("digits:/tmp/x", "takes no path"),
    ("csv:", "'csv' needs a file"),
    ("csv:a.csv,taget=y", "unknown option 'taget'"),
    ("synthetic:moons,n=0", "must be >= 1"),
    ("synthetic:moons,noise=abc", "is not a float"),
    ("", "must be a data source"),
])
def test_bad_data_sources_say_what_to_write(spec, fragment):
    with pytest.raises(ValueError, match=None) as info:
        parse_data_spec(spec)
    assert fragment in str(info.value)


@pytest.mark.parametrize("values,fragments", [
    ({"batch_size": 0}, ["config: batch_size must be an integer >= 1, got 0",
                         "e.g. batch_size=32"]),
    ({"epochs": -5}, ["epochs must be an integer >= 0", "got -5"]),
    ({"validation_split": 1.5}, ["validation_split must be", "[0, 1)", "got 1.5"]),
    ({"test_split": -0.1}, ["test_split must be", "[0, 1)"]),
    ({"dropout": 1.0}, ["dropout must be a finite number in [0, 1)", "or a list"]),
    ({"dropout": [0.1, 1.5]}, ["dropout[1] must be a finite number in [0, 1), got 1.5"]),
    ({"lr": 0.0}, ["lr must be a finite number > 0", "lr=0.001"]),
    ({"lr": float("inf")}, ["lr must be a finite number > 0", "got inf"]),
    ({"patience": -1}, ["patience must be an integer >= 0"]),
    ({"hidden": [128, 0]}, ["hidden[1] must be an integer >= 1, got 0"]),
    ({"hidden": "12,a"}, ["hidden must be a list, each an integer >= 1", "hidden=[128, 64]"]),
    ({"activation": "rleu"}, ["unknown activation 'rleu'", "did you mean 'relu'?"]),
    ({"activation": ["relu", "tnah"], "hidden": [4, 4]}, ["unknown activation 'tnah'",
                                                          "did you mean 'tanh'?"]),
    ({"init": "he_norml"}, ["unknown init", "did you mean 'he_normal'?"]),
    ({"optimizer": "adma"}, ["unknown optimizer 'adma'", "did you mean 'adam'?"]),
    ({"schedule": "cosin"}, ["schedule must be one of", "did you mean 'cosine'?"]),
    ({"norm": "bach"}, ["norm must be one of 'none', 'batch', 'layer'", "did you mean 'batch'"]),
    ({"loss": "mse"}, ["loss='mse' does not fit the classify task", "cross_entropy"]),
    ({"task": "txt"}, ["unknown task 'txt'", "did you mean 'text'?"]),
    ({"data": "synthetic:moons", "augment": True}, ["augment=true needs images"]),
    ({"augment": True, "standardize": True}, ["augment works on raw", "standardize=false"]),
    ({"momentum": 0.9}, ["momentum is a setting of sgd, rmsprop, not of adam"]),
    ({"beta1": 0.8, "optimizer": "sgd"}, ["beta1 is a setting of adam, adamw, not of sgd"]),
    ({"rho": 0.9}, ["rho is a setting of rmsprop, adadelta"]),
    ({"nesterov": True, "optimizer": "sgd"}, ["nesterov=true needs momentum > 0"]),
    ({"schedule": "plateau", "decay_rate": 2.0}, ["decay_rate, which must be below 1"]),
    ({"hidden": [8, 8], "dropout": [0.1]}, ["dropout has 1 entry for 2 hidden layers"]),
    ({"hidden": [8], "activation": ["relu", "tanh"]}, ["activation has 2 entries for 1 "
                                                       "hidden layer"]),
    ({"hidden": [8], "init": ["he_normal"]}, ["init has 1 entry for 2 linear layers"]),
    ({"maxout_pieces": 1}, ["maxout_pieces must be an integer >= 2"]),
    ({"eps": 0.0, "optimizer": "rmsprop"}, ["eps must be a finite number > 0 or None"]),
    ({"validation_split": 0.5, "test_split": 0.5}, ["leaves no training data"]),
    ({"task": "text"}, ["data='digits' is digits data", "'text' task reads tsv, jsonl"]),
    ({"task": "regression"}, ["'regression' task reads csv"]),
    ({"data": "csv:a.csv", "task": "regression", "label_smoothing": 0.1},
     ["label_smoothing smooths class targets"]),
    ({"name": "a/b"}, ["name must be a plain folder name"]),
    ({"epochs": "5"}, ["epochs must be an integer >= 0", "got '5'"]),
    ({"epochs": True}, ["epochs must be an integer >= 0", "got True"]),
    ({"learning_rate": 0.1}, ["unknown setting 'learning_rate'", "did you mean 'lr'?"]),
])
def test_bad_values_give_one_line_naming_the_setting_and_the_fix(values, fragments):
    with pytest.raises(ConfigError) as info:
        make_config(values)
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_errors_in_a_file_name_the_file(tmp_path):
    bad_value = _write(tmp_path, "batch_size = 0\n")
    with pytest.raises(ConfigError, match=r"config .*run\.toml: batch_size must be"):
        load_config(bad_value)
    bad_syntax = _write(tmp_path, "epochs = = 3\n", "broken.toml")
    with pytest.raises(ConfigError, match=r"broken\.toml: not valid TOML"):
        load_config(bad_syntax)
    with pytest.raises(FileNotFoundError, match="config: file not found"):
        load_config(tmp_path / "missing.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        load_config(binary)


def test_schedules_and_optimizers_are_built_by_name():
    import mlplab as ml
    from mlplab.runs.models import build_mlp
    from mlplab.runs.optimizers import build_optimizer

    model = build_mlp(4, 3, [5], "tanh", "xavier_uniform", dropout=0.5, seed=0)
    kinds = [type(layer).__name__ for layer in model]
    assert kinds == ["Linear", "Tanh", "Dropout", "Linear"]
    assert model[0].weight.shape == (5, 4) and model[3].weight.shape == (3, 5)
    config = make_config(optimizer="sgd", momentum=0.9, lr=0.1, schedule="inverse_time",
                         decay_rate=1.0, decay_epochs=2.0, weight_decay=1e-4)
    opt = build_optimizer(model, config, steps_per_epoch=5)
    assert isinstance(opt, ml.optim.SGD)
    lr = opt.param_groups[0]["lr"]
    # α₀ / (1 + rate · t / steps) with steps = 2 epochs · 5 batches = 10
    assert lr(0) == pytest.approx(0.1) and lr(10) == pytest.approx(0.05)
    assert opt.param_groups[0]["momentum"] == 0.9
    assert opt.param_groups[0]["weight_decay"] == 1e-4
    adamw = build_optimizer(model, make_config(optimizer="adamw"), 5)
    assert adamw.param_groups[0]["weight_decay"] == 0.0  # not AdamW's hidden default 0.01
    assert [type(m).__name__ for m in build_mlp(4, 3, [])] == ["Linear"]


def test_example_config_file_is_the_make_run_recipe():
    from pathlib import Path

    from mlplab.runs.recipes import DIGITS

    path = Path(__file__).resolve().parents[2] / "examples" / "config_digits.toml"
    assert load_config(path) == make_config(DIGITS)
