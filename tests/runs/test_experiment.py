"""run_experiment end to end: the digits recipe (make run), a CSV table, reload and evaluate."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from matplotlib.image import imread

import mlplab as ml
from mlplab.runs import evaluate_model, load_trained, make_config, predict_file, run_experiment
from mlplab.runs.data import Part, load_raw_splits
from mlplab.runs.recipes import DIGITS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _assert_png(path):
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    return run_experiment(make_config(DIGITS, output_dir=str(out)))


def test_digits_recipe_reaches_98_percent_and_stops_early(digits_run):
    result = digits_run
    assert result.test_accuracy >= 0.98  # the figure README.md and docs/cli.md state
    assert result.sizes == {"train": 1293, "dev": 144, "test": 360}  # 1797 = 80 % + 20 %
    assert result.epochs_run < 300 and result.stopped_reason  # early stopping ended it
    # the kept weights are those of the epoch with the lowest dev loss
    best = int(np.argmin(result.history["val_loss"])) + 1
    assert result.best_epoch == best
    assert result.metrics["dev"]["loss"] == pytest.approx(min(result.history["val_loss"]),
                                                          rel=1e-5)


def test_digits_run_writes_every_file(digits_run):
    run_dir = digits_run.run_dir
    names = {p.name for p in run_dir.iterdir()}
    assert {"model.safetensors", "history.csv", "learning_curves.png", "confusion_matrix.png",
            "report.txt", "config.toml", "checkpoint.safetensors"} <= names
    _assert_png(run_dir / "learning_curves.png")
    _assert_png(run_dir / "confusion_matrix.png")
    with open(run_dir / "history.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == digits_run.epochs_run
    assert {"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"} <= set(rows[0])
    assert [float(r["val_loss"]) for r in rows] == pytest.approx(digits_run.history["val_loss"])
    report = (run_dir / "report.txt").read_text()
    assert "precision" in report and "bias/variance" in report
    for digit in range(10):
        assert f"\n{digit:>12}  " in report  # one row per class
    # config.toml is the resolved config: loading it gives the same run settings
    from mlplab.runs import load_config

    again = load_config(run_dir / "config.toml")
    assert again == digits_run.config
    assert again.standardize is False and again.augment_shift == 0.5


def test_confusion_matrix_and_report_match_an_independent_count(digits_run):
    (_, _), (_, y_test) = ml.data.load_digits(seed=0)  # the same split the run made
    y_pred = digits_run.test_predictions
    cm = np.zeros((10, 10), dtype=np.int64)
    np.add.at(cm, (y_test, y_pred), 1)
    assert np.array_equal(cm, digits_run.confusion)
    assert digits_run.test_accuracy == pytest.approx(np.mean(y_pred == y_test))
    recall_3 = cm[3, 3] / cm[3].sum()
    assert digits_run.report["3"]["recall"] == pytest.approx(recall_3)


def test_saved_model_reloads_and_predicts_identically(digits_run):
    trained = load_trained(digits_run.files["model"])
    assert trained.class_names == [str(i) for i in range(10)]
    assert trained.metadata["input_width"] == 64 and trained.metadata["task"] == "classify"
    assert trained.config == digits_run.config
    proba = trained.predict_proba(Part(digits_run.test_features, None))
    assert np.array_equal(proba, digits_run.test_proba)  # bit for bit
    # the images may also come as (n, 8, 8)
    images = np.asarray(digits_run.test_features).reshape(-1, 8, 8)
    assert np.array_equal(trained.predict_proba(Part(images, None)), proba)


def test_evaluate_reproduces_the_runs_test_numbers(digits_run):
    evaluation = evaluate_model(digits_run.files["model"], "digits")
    assert evaluation.split == "test" and evaluation.n == 360
    assert evaluation.metrics["accuracy"] == digits_run.metrics["test"]["accuracy"]
    assert evaluation.metrics["loss"] == pytest.approx(digits_run.metrics["test"]["loss"])
    everything = evaluate_model(digits_run.files["model"], "digits", split="all")
    assert everything.n == 1797


# --------------------------------------------------------------------------- a CSV table
def _write_table(path, n=400, seed=0):
    """Numeric and categorical columns, missing values, string labels; y depends on both."""
    rng = np.random.default_rng(seed)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["size", "color", "weight", "label"])
        for _ in range(n):
            size, weight = rng.normal(), rng.normal(5.0, 2.0)
            color = rng.choice(["red", "green", "blue"])
            label = "big" if size + (color == "red") * 1.5 + 0.2 * (weight - 5) > 0.5 else "small"
            writer.writerow(["?" if rng.random() < 0.05 else f"{size:.4f}", color,
                             f"{weight:.4f}", label])


@pytest.fixture(scope="module")
def csv_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("table")
    _write_table(folder / "things.csv")
    config = make_config(data=f"csv:{folder / 'things.csv'},target=label", hidden=[16],
                         epochs=60, lr=0.01, patience=15, output_dir=str(folder / "runs"))
    return config, run_experiment(config)


def test_csv_run_learns_and_keeps_its_encoder_and_scaler(csv_run):
    config, result = csv_run
    assert result.class_names == ["big", "small"]
    assert result.test_accuracy >= 0.9
    trained = load_trained(result.files["model"])
    pre = trained.preprocessor
    assert pre.encoder.target == "label"
    assert pre.encoder.feature_names == ["size", "color=blue", "color=green", "color=red",
                                         "weight"]
    # μ and σ come from the training split only (the notes' rule), not from all the data
    raw = load_raw_splits(result.config)
    X_train = pre.encoder.transform(raw.train.features).X.astype(np.float64)
    X_all = pre.encoder.transform({k: np.concatenate([getattr(raw, s).features[k]
                                                      for s in ("train", "dev", "test")])
                                   for k in raw.train.features}).X.astype(np.float64)
    np.testing.assert_allclose(pre.scaler.mean_, X_train.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(pre.scaler.scale_, X_train.std(axis=0), rtol=1e-5)
    assert not np.allclose(pre.scaler.mean_, X_all.mean(axis=0))
    # the splits are disjoint and cover every row
    sizes = [len(p) for p in (raw.train, raw.dev, raw.test)]
    assert sum(sizes) == 400 and sizes == [280, 40, 80]


def test_csv_predictions_match_an_independent_numpy_forward_pass(csv_run, tmp_path):
    config, result = csv_run
    _write_table(tmp_path / "new.csv", n=50, seed=1)
    predictions = predict_file(result.files["model"], tmp_path / "new.csv",
                               tmp_path / "out.csv")
    trained = load_trained(result.files["model"])
    pre = trained.preprocessor
    # oracle: encoder → (x − μ)/σ → relu(x W1ᵀ + b1) W2ᵀ + b2 → softmax, in float64
    from mlplab.data import read_csv_columns

    X = pre.encoder.transform(read_csv_columns(tmp_path / "new.csv")).X.astype(np.float64)
    X = (X - pre.scaler.mean_) / pre.scaler.scale_
    state = {k: v.astype(np.float64) for k, v in trained.model.state_dict().items()}
    hidden = np.maximum(X @ state["0.weight"].T + state["0.bias"], 0)
    logits = hidden @ state["2.weight"].T + state["2.bias"]
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(predictions.proba, expected, atol=1e-5)
    assert predictions.names == [["big", "small"][i] for i in expected.argmax(axis=1)]
    with open(tmp_path / "out.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["class"] for r in rows] == predictions.names
    assert list(rows[0]) == ["row", "class", "probability", "p_big", "p_small"]


def test_same_config_gives_the_same_numbers(tmp_path):
    config = make_config(data="synthetic:spirals,n=300", hidden=[32], epochs=5, dropout=0.2,
                         output_dir=str(tmp_path))
    first, second = run_experiment(config), run_experiment(config)
    assert first.history == second.history  # bit-identical floats
    assert np.array_equal(first.test_proba, second.test_proba)
    other = run_experiment(config.model_copy(update={"seed": 1}))
    assert other.history["loss"] != first.history["loss"]


def test_run_without_dev_split_or_early_stopping(tmp_path):
    config = make_config(data="synthetic:xor,n=200", hidden=[8], epochs=3,
                         validation_split=0.0, early_stopping=False, output_dir=str(tmp_path))
    result = run_experiment(config)
    assert "dev" not in result.metrics and result.sizes["dev"] == 0
    assert result.epochs_run == 3 and result.best_epoch is None
    assert result.reading.high_variance is None  # no dev curve: variance cannot be read
    assert "val_loss" not in result.history
