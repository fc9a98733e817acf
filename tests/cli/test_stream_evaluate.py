"""``mlplab evaluate MODEL npy:|parquet:|csv:PATH``: a saved classifier evaluated on a file
read chunk by chunk, with the same numbers as training's test split and as in memory."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from mlplab.runs import evaluate_model, load_trained
from mlplab.runs.data import Part
from mlplab.train.metrics import precision_recall_f1_report
from tests.cli.cli_invoke import invoke as _invoke

COMMON = ["--hidden", "8", "--epochs", "2", "--lr", "0.03", "--batch-size", "32",
          "--no-early-stopping", "-q"]
SOURCES = {
    "npy": "npy:{f}",
    "parquet": "parquet:{f}/t.parquet,target=label,drop=id",
    "csv": "csv:{f}/t.csv,target=label,drop=id",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """1000 rows as X.npy + y.npy, and as Parquet and CSV with a text column, a label and
    a few missing numbers."""
    folder = tmp_path_factory.mktemp("stream_eval")
    rng = np.random.default_rng(1)
    X = rng.normal(size=(1000, 3)).astype(np.float32)
    y = (X[:, 0] - X[:, 2] > 0).astype(np.int64)
    np.save(folder / "X.npy", X)
    np.save(folder / "y.npy", y)
    b = X[:, 1].copy()
    b[::97] = np.nan
    table = pa.table({"a": X[:, 0], "b": b, "c": X[:, 2],
                      "colour": rng.choice(["red", "blue", "green"], 1000),
                      "label": np.where(y == 1, "up", "down"), "id": np.arange(1000)})
    pq.write_table(table, folder / "t.parquet", row_group_size=50)
    pcsv.write_csv(table, folder / "t.csv")
    return folder


@pytest.fixture(scope="module")
def runs(files, tmp_path_factory):
    """One streamed run per source: name → (model path, data string)."""
    out = tmp_path_factory.mktemp("stream_eval_runs")
    made = {}
    for name, data in SOURCES.items():
        data = data.format(f=files)
        stream = ["--stream"] if name == "csv" else []
        result = _invoke("train", "--data", data, *stream, *COMMON, "-o", out, "--name", name)
        assert result.exit_code == 0, result.output
        made[name] = (out / name / "model.safetensors", data)
    return made


@pytest.mark.parametrize("name", list(SOURCES))
def test_the_test_split_gives_the_runs_own_test_metrics(runs, name):
    model, data = runs[name]
    saved = load_trained(model).metadata["test_metrics"]
    result = evaluate_model(model, data, split="test")
    assert result.split == "test"
    assert result.metrics["accuracy"] == pytest.approx(saved["accuracy"], abs=1e-12)
    assert result.metrics["loss"] == pytest.approx(saved["loss"], rel=1e-6)
    assert 0 < result.n < 1000


def test_every_row_chunk_by_chunk_equals_the_whole_file_in_memory(runs, files):
    model, data = runs["npy"]
    result = evaluate_model(model, data)  # auto: every row of a file
    assert result.split == "all" and result.n == 1000
    trained = load_trained(model)
    X, y = np.load(files / "X.npy"), np.load(files / "y.npy")
    Xp, _ = trained.preprocessor.transform(Part(X, None))  # the whole file at once
    trainer = trained.trainer()
    whole = trainer.evaluate(Xp, y)
    assert result.metrics["loss"] == pytest.approx(whole["loss"], rel=1e-6)
    assert result.metrics["accuracy"] == pytest.approx(whole["accuracy"], abs=1e-12)
    names = trained.class_names
    # the report of the summed confusion matrix is the labels' report exactly
    assert result.report == precision_recall_f1_report(y, trainer.predict(Xp), names)
    assert result.confusion.sum() == 1000


def test_categories_and_missing_numbers_are_encoded_as_in_training(runs, files, tmp_path):
    """A Parquet file's rows in another order and cut in other row groups: the same
    numbers as the run's file, so the encoding does not depend on the chunking."""
    model, data = runs["parquet"]
    table = pq.read_table(files / "t.parquet")
    shuffled = table.take(np.random.default_rng(0).permutation(table.num_rows))
    pq.write_table(shuffled, tmp_path / "s.parquet", row_group_size=333)
    first = evaluate_model(model, data, split="all")
    second = evaluate_model(model, f"parquet:{tmp_path}/s.parquet,target=label,drop=id",
                            split="all")
    assert second.n == first.n == 1000
    assert second.metrics["loss"] == pytest.approx(first.metrics["loss"], rel=1e-5)
    np.testing.assert_array_equal(second.confusion, first.confusion)


def test_the_cli_prints_the_metrics_and_the_report(runs):
    model, data = runs["parquet"]
    result = _invoke("evaluate", model, data, "--split", "test")
    assert result.exit_code == 0, result.output
    assert "per-class report (test)" in result.output
    assert "down" in result.output and "up" in result.output


@pytest.mark.parametrize("make, message", [
    (lambda f, t: pq.write_table(pa.table({"a": [1.0], "b": [0.0], "c": [2.0],
                                           "colour": ["red"], "label": ["sideways"]}), t),
     "holds sideways, which are not among the model's classes (down, up)"),
    (lambda f, t: pq.write_table(pa.table({"a": [1.0], "z": [0.0], "c": [2.0],
                                           "colour": ["red"], "label": ["up"]}), t),
     "the model was trained on"),
])
def test_bad_evaluation_files_are_one_line(runs, tmp_path, make, message):
    model, _ = runs["parquet"]
    path = tmp_path / "bad.parquet"
    make(None, path)
    result = _invoke("evaluate", model, f"parquet:{path},target=label")
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines


def test_a_file_with_other_columns_than_the_models_is_one_line(files, tmp_path):
    result = _invoke("train", "--task", "regression", "--data",
                     f"csv:{files}/t.csv,target=a,drop=id", *COMMON, "-o", tmp_path,
                     "--name", "reg")
    assert result.exit_code == 0, result.output
    result = _invoke("evaluate", tmp_path / "reg" / "model.safetensors", f"npy:{files}",
                     "--split", "all")
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "has the numeric columns x0, x1, x2, the model was trained " \
        "on b, c" in lines[0], lines
