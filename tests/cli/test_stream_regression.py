"""``mlplab train --task regression`` on files read chunk by chunk, and ``mlplab evaluate``
of such a model: targets standardized with the training chunks' μ_y and σ_y, metrics
summed over chunks equal to the same metrics over the rows in memory."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mlplab.runs import evaluate_model, load_trained
from mlplab.runs.regression import RegressionTotals, TargetScale, regression_metrics
from tests.cli.cli_invoke import invoke as _invoke

COMMON = ["--hidden", "16", "--epochs", "8", "--lr", "0.01", "--batch-size", "32",
          "--no-early-stopping", "-q"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """1200 rows of y = 3a − 2b + 5·[colour = red] + 100 + noise, as .npy and Parquet."""
    folder = tmp_path_factory.mktemp("stream_regression")
    rng = np.random.default_rng(4)
    X = rng.normal(size=(1200, 2)).astype(np.float32)
    colour = rng.choice(["red", "blue"], 1200)
    y = (3 * X[:, 0] - 2 * X[:, 1] + 100 + 0.1 * rng.normal(size=1200)).astype(np.float32)
    np.save(folder / "X.npy", X)
    np.save(folder / "y.npy", y)
    y_colour = y + 5 * (colour == "red")
    pq.write_table(pa.table({"a": X[:, 0], "b": X[:, 1], "colour": colour, "y": y_colour}),
                   folder / "t.parquet", row_group_size=40)
    return folder


@pytest.mark.parametrize("data", ["npy:{f}", "parquet:{f}/t.parquet,target=y"])
def test_a_streamed_regression_run_learns_and_evaluate_gives_its_test_metrics(
        files, tmp_path, data):
    data = data.format(f=files)
    result = _invoke("train", "--task", "regression", "--data", data, *COMMON,
                     "-o", tmp_path, "--name", "r")
    assert result.exit_code == 0, result.output
    run = tmp_path / "r"
    assert "stream = true" in (run / "config.toml").read_text()
    trained = load_trained(run / "model.safetensors")
    saved = trained.metadata["test_metrics"]
    assert saved["r2"] > 0.9  # a linear target: easy to fit
    target = trained.metadata["target"]
    assert 99 < target["mean"] < 104 and 3 < target["std"] < 6  # the targets' own units
    again = evaluate_model(run / "model.safetensors", data, split="test")
    for name in ("loss", "rmse", "mae", "r2"):
        assert again.metrics[name] == pytest.approx(saved[name], rel=1e-6), name


def test_evaluating_every_row_chunk_by_chunk_equals_the_rows_in_memory(files, tmp_path):
    result = _invoke("train", "--task", "regression", "--data", f"npy:{files}", *COMMON,
                     "-o", tmp_path, "--name", "r")
    assert result.exit_code == 0, result.output
    model = tmp_path / "r" / "model.safetensors"
    chunked = evaluate_model(model, f"npy:{files}")
    assert chunked.split == "all" and chunked.n == 1200
    trained = load_trained(model)
    X = trained.preprocessor.scaler.transform(np.load(files / "X.npy")).astype(np.float32)
    whole = regression_metrics(trained.trainer(), X, np.load(files / "y.npy").astype(
        np.float64), TargetScale.from_dict(trained.metadata["target"]))
    for name in ("loss", "rmse", "mae", "r2"):
        assert chunked.metrics[name] == pytest.approx(whole[name], rel=1e-6), name


def test_regression_totals_over_chunks_equal_the_metrics_over_all_rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3)).astype(np.float32)
    y = 1e4 + X @ np.array([2.0, -1.0, 0.5])  # a large mean: no cancellation in R²

    class Fixed:  # a "trainer" predicting a fixed linear map, evaluating the MSE
        def predict(self, X):
            return X @ np.array([1.9, -1.1, 0.4]) / 2.0

        def evaluate(self, X, t):
            return {"loss": float(np.mean((self.predict(X) - t) ** 2))}

    scale = TargetScale(float(y.mean()), float(y.std()))
    totals = RegressionTotals(scale)
    for start in range(0, 500, 77):
        rows = slice(start, start + 77)
        totals.add(Fixed(), X[rows], scale.standardize(y[rows]))
    whole = regression_metrics(Fixed(), X, y, scale)
    for name in ("loss", "rmse", "mae", "r2"):
        assert totals.metrics()[name] == pytest.approx(whole[name], rel=1e-9), name
