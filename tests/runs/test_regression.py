"""The regression task from Python: diabetes progression from a CSV, in the target's units."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from mlplab.runs import (
    ConfigError,
    evaluate_model,
    load_trained,
    make_config,
    predict_file,
    run_experiment,
)
from mlplab.runs.data import Part


def _write_diabetes(path):
    """scikit-learn's 442 diabetes patients: 10 features, the disease progression a year on."""
    from sklearn.datasets import load_diabetes

    data = load_diabetes()
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*data.feature_names, "progression"])
        for row, target in zip(data.data, data.target, strict=True):
            writer.writerow([f"{v:.6f}" for v in row] + [f"{target:g}"])
    return data.target


@pytest.fixture(scope="module")
def diabetes_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("diabetes")
    target = _write_diabetes(folder / "diabetes.csv")
    config = make_config(data=f"csv:{folder / 'diabetes.csv'},target=progression",
                         task="regression", hidden=[16], lr=0.01, epochs=200, patience=20,
                         weight_decay=1e-3, output_dir=str(folder / "runs"))
    return folder, target, run_experiment(config)


def test_diabetes_r2_is_well_above_zero_on_held_out_patients(diabetes_run):
    _, target, result = diabetes_run
    assert result.task == "regression" and result.class_names == []
    assert result.architecture == "10-16-1 MLP, relu"
    # a linear model explains about half of the variance; predicting the mean explains none
    assert result.test_r2 > 0.35
    assert result.sizes == {"train": 308, "dev": 45, "test": 89}  # ⌈0.1·442⌉, ⌈0.2·442⌉
    # RMSE and MAE in the target's own units, checked against the predictions
    raw = result.test_features["progression"].astype(np.float64)
    errors = result.test_predictions - raw
    assert result.metrics["test"]["rmse"] == pytest.approx(np.sqrt(np.mean(errors ** 2)))
    assert result.metrics["test"]["mae"] == pytest.approx(np.mean(np.abs(errors)))
    assert 20 < result.metrics["test"]["rmse"] < np.std(target)
    assert result.config.loss == "mse"  # the default, made explicit in config.toml


def test_the_saved_model_predicts_in_the_original_units(diabetes_run, tmp_path):
    _, target, result = diabetes_run
    trained = load_trained(result.files["model"])
    assert trained.task == "regression" and trained.class_names == []
    saved = trained.metadata["target"]
    assert saved["name"] == "progression" and 100 < saved["mean"] < 200
    values = trained.predict(Part(result.test_features, None))
    np.testing.assert_array_equal(values, result.test_predictions)
    predictions = predict_file(result.files["model"], result.config.data_spec.path,
                               tmp_path / "out.csv")
    assert len(predictions) == 442 and predictions.target == "progression"
    with open(tmp_path / "out.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["row", "progression"]
    assert float(rows[0]["progression"]) == pytest.approx(predictions.values[0], rel=1e-5)
    assert 25 < predictions.values.mean() < 350  # days-of-progression scale, not ±1


def test_evaluate_reports_rmse_mae_and_r2(diabetes_run):
    _, _, result = diabetes_run
    again = evaluate_model(result.files["model"], result.config.data, split="test")
    assert again.n == 89 and set(again.metrics) == {"loss", "rmse", "mae", "r2"}
    assert again.metrics["r2"] == pytest.approx(result.test_r2, rel=1e-5)
    everything = evaluate_model(result.files["model"], result.config.data)
    assert everything.split == "all" and everything.n == 442 and everything.report == {}
    report = (result.run_dir / "report.txt").read_text()
    assert "target 'progression'" in report and "r2" in report and "rmse" in report


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_other_losses_train_too(diabetes_run, loss):
    folder, _, _ = diabetes_run
    result = run_experiment(make_config(
        data=f"csv:{folder / 'diabetes.csv'},target=progression", task="regression",
        loss=loss, hidden=[8], lr=0.01, epochs=40, output_dir=str(folder / loss)))
    assert result.config.loss == loss and result.test_r2 > 0.2


def test_a_classifier_refuses_a_continuous_target(diabetes_run):
    folder, _, _ = diabetes_run
    config = make_config(data=f"csv:{folder / 'diabetes.csv'},target=bmi", epochs=1,
                         output_dir=str(folder / "wrong"))
    with pytest.raises(ValueError, match=r"holds \d+ distinct non-integer numbers .* train "
                                         r"with --task regression"):
        run_experiment(config)
    with pytest.raises(ConfigError, match="loss='cross_entropy' does not fit the regression"):
        make_config(data=f"csv:{folder / 'diabetes.csv'}", task="regression",
                    loss="cross_entropy")
