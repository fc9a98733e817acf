"""``mlplab train --data npy:|parquet:|csv:PATH --stream``: runs on files read chunk by chunk."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from mlplab.io import load
from mlplab.io.model_file import load_state
from mlplab.runs import load_trained
from mlplab.train.callbacks import Callback
from tests.cli.cli_invoke import invoke as _invoke

COMMON = ["--hidden", "8", "--epochs", "3", "--lr", "0.03", "--batch-size", "32",
          "--no-early-stopping", "-q"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """1000 rows as X.npy + y.npy, and as Parquet and CSV with a text column and label."""
    folder = tmp_path_factory.mktemp("stream")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 3)).astype(np.float32)
    y = (X[:, 0] - X[:, 2] > 0).astype(np.int64)
    np.save(folder / "X.npy", X)
    np.save(folder / "y.npy", y)
    table = pa.table({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2],
                      "colour": rng.choice(["red", "blue"], 1000),
                      "label": np.where(y == 1, "up", "down"), "id": np.arange(1000)})
    pq.write_table(table, folder / "t.parquet", row_group_size=50)
    pcsv.write_csv(table, folder / "t.csv")
    return folder


@pytest.mark.parametrize("data, width", [
    ("npy:{f}", 3),
    ("parquet:{f}/t.parquet,target=label,drop=id", 5),  # a, b, c and colour one-hot
    ("csv:{f}/t.csv,target=label,drop=id", 5),
])
def test_a_streamed_run_trains_and_writes_its_folder(files, tmp_path, data, width):
    data = data.format(f=files)
    stream = [] if data.startswith(("npy", "parquet")) else ["--stream"]  # csv: asked for
    result = _invoke("train", "--data", data, *stream, *COMMON, "-o", tmp_path, "--name", "r")
    assert result.exit_code == 0, result.output
    run = tmp_path / "r"
    assert "stream = true" in (run / "config.toml").read_text()
    trained = load_trained(run / "model.safetensors")
    assert trained.metadata["input_width"] == width
    metrics = trained.metadata["test_metrics"]
    assert metrics["accuracy"] > 0.8  # y depends on two of the columns: easy to learn
    assert not (run / "checkpoint.last.safetensors").exists()  # finished: nothing to resume


def test_a_streamed_run_saves_the_training_standardization(files, tmp_path):
    result = _invoke("train", "--data", f"npy:{files}", *COMMON, "-o", tmp_path, "--name", "r")
    assert result.exit_code == 0, result.output
    scaler = load_trained(tmp_path / "r" / "model.safetensors").preprocessor.scaler
    X = np.load(files / "X.npy")
    # fitted on the training chunks only: near the whole file's statistics, not equal
    assert np.allclose(scaler.mean_, X.mean(axis=0), atol=0.15)
    assert not np.allclose(scaler.mean_, X.mean(axis=0), rtol=0, atol=1e-7)


class CtrlCAt(Callback):
    """Ctrl-C after batch ``batch`` (counting from 0) of epoch ``epoch``."""

    def __init__(self, epoch, batch):
        self.at = (epoch, batch)

    def on_batch_end(self, batch, logs=None):
        if self.trainer.position == self.at:
            raise KeyboardInterrupt


def test_ctrl_c_mid_epoch_then_resume_ends_bit_for_bit(files, tmp_path, monkeypatch):
    import mlplab.runs.experiment as experiment
    import mlplab.runs.streamed as streamed

    settings = ["--data", f"parquet:{files}/t.parquet,target=label", *COMMON, "-o", tmp_path]
    assert _invoke("train", *settings, "--name", "full").exit_code == 0
    monkeypatch.setattr(streamed, "CHECKPOINT_BATCHES", 5)  # mid-epoch checkpoints
    original = experiment.run_callbacks
    monkeypatch.setattr(experiment, "run_callbacks",
                        lambda *a, **k: [*original(*a, **k), CtrlCAt(1, 12)])
    cut = _invoke("train", *settings, "--name", "cut")
    assert cut.exit_code == 130, cut.output
    monkeypatch.undo()
    saved = load_state(tmp_path / "cut" / "checkpoint.last.safetensors")
    assert saved["stream_position"]["loader"]["batches_done"] == 10  # the last save
    resumed = _invoke("train", "--resume", tmp_path / "cut", "-q")
    assert resumed.exit_code == 0, resumed.output
    full, cut = (load(tmp_path / n / "model.safetensors").state_dict() for n in ("full", "cut"))
    assert all(np.array_equal(full[k], cut[k]) for k in full)
    assert (tmp_path / "cut" / "history.csv").read_text() == \
        (tmp_path / "full" / "history.csv").read_text()


@pytest.mark.parametrize("args, message", [
    (["--data", "parquet:{f}/missing.parquet"], "parquet file not found"),
    (["--data", "npy:{f}/nowhere"], "npy file not found"),
    (["--data", "parquet:{f}/t.parquet,target=lable"], "did you mean 'label'"),
    (["--data", "csv:{f}/t.csv,drop=colr", "--stream"], "no drop column 'colr'"),
    (["--data", "digits", "--stream"], "stream=true reads npy:PATH, parquet:PATH or csv:PATH"),
    (["--data", "npy:{f}", "--no-stream"], "npy data are always streamed"),
    (["--data", "parquet:{f}/X.npy"], "is not a Parquet file"),
    (["--data", "csv:{f}/X.npy", "--stream"], "not a UTF-8 text file"),
    (["--task", "regression", "--data", "csv:{f}/t.csv,target=label", "--stream"],
     "the target holds text ('down' in the first row of a chunk); a regression target "
     "must be a number"),
])
def test_bad_streamed_input_is_one_line(files, tmp_path, args, message):
    result = _invoke("train", *[a.format(f=files) for a in args], "-q", "-o", tmp_path)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
