"""``mlplab train / evaluate / predict / run``: the commands, and every bad input as one line."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from typer.testing import CliRunner

from mlplab.cli import app
from mlplab.runs import load_trained

runner = CliRunner()


def _invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    """Train on synthetic blobs from a TOML file; flags override the file."""
    folder = tmp_path_factory.mktemp("cli")
    config = folder / "blobs.toml"
    config.write_text('data = "synthetic:gaussians,n=600"\nhidden = [16]\nepochs = 40\n'
                      'lr = 0.1\nname = "blobs"\n', encoding="utf-8")
    result = _invoke("train", "--config", config, "--lr", "0.01", "--output-dir",
                     folder / "runs")
    return folder, result


def test_train_from_toml_prints_metrics_and_writes_the_run(trained_run):
    folder, result = trained_run
    assert result.exit_code == 0, result.output
    out = result.output
    assert "epoch 1/40" in out  # progress, one line per epoch outside a terminal
    assert "results" in out and "test" in out and "bias/variance:" in out
    run_dir = folder / "runs" / "blobs"
    assert f"files written to {run_dir}" in out
    for name in ("model.safetensors", "history.csv", "learning_curves.png",
                 "confusion_matrix.png", "report.txt", "config.toml"):
        assert (run_dir / name).is_file(), name
    config = (run_dir / "config.toml").read_text()
    assert "lr = 0.01" in config and "epochs = 40" in config  # the flag beat the file


def test_evaluate_prints_the_runs_test_accuracy(trained_run):
    folder, _ = trained_run
    model = folder / "runs" / "blobs" / "model.safetensors"
    result = _invoke("evaluate", model, "synthetic:gaussians,n=600")
    assert result.exit_code == 0, result.output
    accuracy = load_trained(model).metadata["test_metrics"]["accuracy"]
    assert f"{accuracy:.4f}" in result.output
    assert "macro avg" in result.output and "precision" in result.output


def _oracle_classes(model_path, X):
    """Independent forward pass in float64: standardize, relu(x W1ᵀ + b1) W2ᵀ + b2, argmax."""
    trained = load_trained(model_path)
    scaler = trained.preprocessor.scaler
    Z = (X.astype(np.float64) - scaler.mean_) / scaler.scale_
    state = {k: v.astype(np.float64) for k, v in trained.model.state_dict().items()}
    logits = np.maximum(Z @ state["0.weight"].T + state["0.bias"], 0) @ state["2.weight"].T \
        + state["2.bias"]
    return logits.argmax(axis=1)


def test_predict_npy_and_csv_give_the_same_classes(trained_run):
    folder, _ = trained_run
    model = folder / "runs" / "blobs" / "model.safetensors"
    X = np.random.default_rng(5).uniform(-6, 6, size=(20, 2)).astype(np.float32)
    np.save(folder / "points.npy", X)
    np.savetxt(folder / "points.csv", X, delimiter=",", header="x1,x2", comments="")
    np.savetxt(folder / "bare.csv", X, delimiter=",")
    printed = _invoke("predict", model, folder / "points.npy")
    assert printed.exit_code == 0, printed.output
    rows = list(csv.DictReader(printed.output.splitlines()))
    assert list(rows[0]) == ["row", "class", "probability", "p_0", "p_1", "p_2"]
    expected = [str(c) for c in _oracle_classes(model, X)]
    assert [r["class"] for r in rows] == expected
    for source in ("points.csv", "bare.csv"):
        target = folder / f"{source}.out.csv"
        written = _invoke("predict", model, folder / source, "--output", target)
        assert written.exit_code == 0, written.output
        assert f"wrote 20 predictions to {target}" in written.output
        with open(target, newline="") as handle:
            assert [r["class"] for r in csv.DictReader(handle)] == expected


@pytest.mark.parametrize("command", ["train", "evaluate", "predict", "run"])
def test_help_on_each_subcommand(command):
    result = _invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert {"train": "--config", "evaluate": "--split", "predict": "--output",
            "run": "--output-dir"}[command] in result.output


def test_run_trains_saves_reloads_and_checks_predictions(tmp_path):
    # the make-run command, shortened to 3 epochs (the full recipe is tested in tests/runs)
    result = _invoke("run", "--epochs", "3", "--output-dir", tmp_path, "--quiet")
    assert result.exit_code == 0, result.output
    assert "test accuracy:" in result.output and "per-class report" in result.output
    assert "identical predictions on all 360 test images" in result.output
    for name in ("model.safetensors", "learning_curves.png", "confusion_matrix.png"):
        assert (tmp_path / "digits" / name).is_file()


# --------------------------------------------------------------------------- bad input
@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, trained_run):
    folder = tmp_path_factory.mktemp("bad")
    (folder / "table.csv").write_text("a,b,c\n1,2,x\n3,4,y\n", encoding="utf-8")
    (folder / "garbage.safetensors").write_bytes(b"this is not a model")
    model = (trained_run[0] / "runs" / "blobs" / "model.safetensors").read_bytes()
    (folder / "truncated.safetensors").write_bytes(model[: len(model) // 2])
    np.save(folder / "wide.npy", np.zeros((3, 5), dtype=np.float32))
    (folder / "bad.toml").write_text("epochs = = 1\n", encoding="utf-8")
    return folder, trained_run[0] / "runs" / "blobs" / "model.safetensors"


BAD_INPUTS = [
    (["train", "--data", "csv:{d}/missing.csv"], ["CSV file not found", "missing.csv"]),
    (["train", "--data", "csv:{d}/table.csv,target=label"],
     ["no target column 'label'", "its columns are a, b, c"]),
    (["train", "--activation", "rleu"], ["unknown activation 'rleu'", "did you mean 'relu'?"]),
    (["train", "--optimizer", "adma"], ["unknown optimizer 'adma'", "did you mean 'adam'?"]),
    (["train", "--batch-size", "0"], ["batch_size must be an integer >= 1, got 0"]),
    (["train", "--epochs", "-5"], ["epochs must be an integer >= 0, got -5"]),
    (["train", "--validation-split", "1.5"], ["validation_split must be", "[0, 1)", "1.5"]),
    (["train", "--hidden", "8,8", "--dropout", "0.1,0.2,0.3"], ["dropout has 3 entries for 2"]),
    (["train", "--norm", "bach"], ["norm must be one of", "did you mean 'batch'"]),
    (["train", "--data", "csv:{d}/table.csv,target=c", "--task", "regression"],
     ["target 'c' holds 'x'", "not a finite number"]),
    (["train", "--config", "{d}/none.toml"], ["config: file not found"]),
    (["train", "--config", "{d}/bad.toml"], ["not valid TOML"]),
    (["train", "--data", "synthetic:moons", "--augment"], ["augment=true needs images"]),
    (["evaluate", "{d}/garbage.safetensors", "digits"], ["not a valid mlplab model file"]),
    (["predict", "{d}/truncated.safetensors", "{d}/wide.npy"], ["truncated"]),
    (["predict", "{d}/missing.safetensors", "{d}/wide.npy"], ["model: file not found"]),
    (["predict", "{m}", "{d}/wide.npy"], ["takes 2 features per sample, received 5"]),
    (["predict", "{m}", "{d}/table.csv"], ["row 1, column 3 is 'x', not a number"]),
    (["predict", "{m}", "{d}/bad.toml"], ["expected a .csv or .npy file"]),
    (["evaluate", "{m}", "digits"], ["takes 2 features per sample, received 64"]),
    (["evaluate", "{m}", "digits", "--split", "dev"], ["split must be one of"]),
]


@pytest.mark.parametrize("args,fragments", BAD_INPUTS, ids=[" ".join(a[:2]) + f"-{i}" for i, (a, _)
                                                           in enumerate(BAD_INPUTS)])
def test_bad_input_exits_1_with_one_line_and_no_traceback(bad_files, args, fragments):
    folder, model = bad_files
    result = _invoke(*[a.format(d=folder, m=model) for a in args])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_debug_flag_shows_the_exception_instead(bad_files):
    result = runner.invoke(app, ["--debug", "train", "--batch-size", "0"])
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "ConfigError"


def test_options_are_checked_against_the_task(tmp_path):
    bad = _invoke("train", "--data", "synthetic:xor,n=100", "--option", "model=mlp")
    assert bad.exit_code == 1 and "the classify task takes no options" in bad.output
    bad = _invoke("train", "--option", "novalue")
    assert bad.exit_code == 1 and "expected KEY=VALUE" in bad.output


# --------------------------------------------------------------------------- regression
def _write_houses(path, n, seed):
    """price = 200 + 40·size − 15·age² + 25·[garden] + noise, with a categorical column."""
    rng = np.random.default_rng(seed)
    size, age = rng.normal(size=n), rng.uniform(-1, 1, size=n)
    garden = rng.choice(["yes", "no"], size=n)
    price = 200 + 40 * size - 15 * age ** 2 + 25 * (garden == "yes") + rng.normal(0, 5, n)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["size", "age", "garden", "price"])
        writer.writerows([f"{s:.4f}", f"{a:.4f}", g, f"{p:.2f}"]
                         for s, a, g, p in zip(size, age, garden, price, strict=True))
    return price


def test_train_regression_from_a_csv_then_predict_and_evaluate(tmp_path):
    _write_houses(tmp_path / "houses.csv", 600, seed=0)
    result = _invoke("train", "--task", "regression", "--data",
                     f"csv:{tmp_path / 'houses.csv'},target=price", "--hidden", "32",
                     "--lr", "0.01", "--epochs", "80", "--quiet", "--output-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert "rmse" in result.output and "r2" in result.output
    model = tmp_path / "houses" / "model.safetensors"
    trained = load_trained(model)
    assert trained.metadata["test_metrics"]["r2"] > 0.9  # held-out rows
    assert 'loss = "mse"' in (tmp_path / "houses" / "config.toml").read_text()

    prices = _write_houses(tmp_path / "new.csv", 50, seed=1)
    printed = _invoke("predict", model, tmp_path / "new.csv")
    assert printed.exit_code == 0, printed.output
    rows = list(csv.DictReader(printed.output.splitlines()))
    assert list(rows[0]) == ["row", "price"]
    predicted = np.array([float(r["price"]) for r in rows])
    assert np.sqrt(np.mean((predicted - prices) ** 2)) < 20  # original units (σ ≈ 45)
    evaluated = _invoke("evaluate", model, f"csv:{tmp_path / 'new.csv'}")
    assert evaluated.exit_code == 0, evaluated.output
    assert "rmse" in evaluated.output and "per-class" not in evaluated.output


def test_every_setting_has_a_train_flag():
    from mlplab.runs.config import TrainConfig

    help_text = _invoke("train", "--help").output
    for name in TrainConfig.model_fields:
        if name != "options":
            assert "--" + name.replace("_", "-") in help_text, name


def test_new_flags_reach_the_saved_config(tmp_path):
    result = _invoke("train", "--data", "synthetic:moons,n=120", "--hidden", "8,6",
                     "--activation", "tanh,relu", "--dropout", "0.2,0.1", "--norm", "layer",
                     "--init", "xavier_uniform", "--gaussian-noise", "0.05", "--l1", "1e-5",
                     "--max-norm", "3", "--clip-grad-norm", "1", "--optimizer", "sgd",
                     "--momentum", "0.9", "--nesterov", "--schedule", "step", "--decay-rate",
                     "0.7", "--decay-epochs", "2", "--epochs", "2", "--quiet",
                     "--output-dir", tmp_path, "--name", "flags")
    assert result.exit_code == 0, result.output
    from mlplab.runs import load_config

    config = load_config(tmp_path / "flags" / "config.toml")
    assert config.activation == ["tanh", "relu"] and config.dropout == [0.2, 0.1]
    assert (config.norm, config.init, config.gaussian_noise) == ("layer", "xavier_uniform", 0.05)
    assert (config.l1, config.max_norm, config.clip_grad_norm) == (1e-5, 3.0, 1.0)
    assert (config.momentum, config.nesterov, config.schedule) == (0.9, True, "step")
    assert (config.decay_rate, config.decay_epochs) == (0.7, 2.0)
    assert "LayerNorm" in str(load_trained(tmp_path / "flags" / "model.safetensors").model)


def test_augmentation_flags_reach_the_run(tmp_path):
    result = _invoke("train", "--data", "digits", "--hidden", "8", "--augment",
                     "--augment-shift", "0.25", "--augment-rotate", "4", "--epochs", "1",
                     "--quiet", "--output-dir", tmp_path)
    assert result.exit_code == 0, result.output
    from mlplab.runs import load_config

    config = load_config(tmp_path / "digits" / "config.toml")
    assert (config.augment, config.augment_shift, config.augment_rotate) == (True, 0.25, 4.0)
    assert config.standardize is False  # resolved: raw pixels for the augmenter
