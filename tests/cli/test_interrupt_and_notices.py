"""Ctrl-C and ``mlplab train --resume``; warnings and odd files as one-line notices."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from mlplab.cli import app
from mlplab.io import load
from mlplab.runs import load_trained
from mlplab.train.callbacks import Callback

runner = CliRunner()
SETTINGS = ["--data", "synthetic:moons,n=400", "--hidden", "8", "--epochs", "5",
            "--no-early-stopping", "--seed", "3"]


def _invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _weights(path):
    return load(path).state_dict()


def _same_weights(a, b):
    wa, wb = _weights(a), _weights(b)
    return wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)


class CtrlCAt(Callback):
    """The test hook: Ctrl-C (KeyboardInterrupt) after the first batch of epoch ``epoch``."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_batch_end(self, batch, logs=None):
        if self.current == self.epoch:
            raise KeyboardInterrupt


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = tmp_path_factory.mktemp("full")
    result = _invoke("train", *SETTINGS, "-q", "-o", out, "--name", "full")
    assert result.exit_code == 0, result.output
    return out / "full"


def test_ctrl_c_says_how_to_resume_and_resume_ends_bit_for_bit(uninterrupted, tmp_path,
                                                              monkeypatch):
    import mlplab.runs.experiment as experiment

    original = experiment.run_callbacks
    monkeypatch.setattr(experiment, "run_callbacks",
                        lambda *a, **k: [*original(*a, **k), CtrlCAt(2)])
    cut = _invoke("train", *SETTINGS, "-q", "-o", tmp_path, "--name", "cut")
    run_dir = tmp_path / "cut"
    assert cut.exit_code == 130, cut.output
    lines = cut.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted at epoch 3, batch 1"), lines
    assert f"checkpoint.last.safetensors; resume with: mlplab train --resume {run_dir}" \
        in lines[0]
    monkeypatch.undo()
    resumed = _invoke("train", "--resume", run_dir, "-q")
    assert resumed.exit_code == 0, resumed.output
    assert _same_weights(run_dir / "model.safetensors", uninterrupted / "model.safetensors")
    assert (run_dir / "history.csv").read_text() == \
        (uninterrupted / "history.csv").read_text()


def test_sigint_to_a_piped_run_prints_the_resume_command(uninterrupted, tmp_path):
    args = [sys.executable, "-m", "mlplab", "train", *SETTINGS, "--epochs", "400", "-o",
            str(tmp_path), "--name", "sig"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    for line in process.stdout:  # one progress line per epoch: piped, not a terminal
        if line.startswith("epoch 2/"):
            process.send_signal(signal.SIGINT)
            break
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert f"resume with: mlplab train --resume {tmp_path / 'sig'}" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_warnings_are_one_line_notices_without_source_lines(tmp_path):
    data = tmp_path / "reviews.tsv"
    lines = [f"{'good great' if i % 2 else 'bad awful'} film\t{'pos' if i % 2 else 'neg'}"
             for i in range(40)]
    lines[6] = "\tneg"  # an empty text on line 7
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _invoke("train", "--task", "text", "--data", f"tsv:{data}", "-q", "-o",
                     tmp_path / "runs", "--epochs", "2")
    assert result.exit_code == 0, result.output
    notices = [ln for ln in result.output.splitlines() if ln.startswith("warning: ")]
    assert notices == [f"warning: {data}, line 7: the text is empty; it has no words to "
                       "learn from or to classify; remove such lines"]
    assert "UserWarning" not in result.output and ".py:" not in result.output


def test_a_byte_order_mark_stays_out_of_the_column_names(tmp_path):
    data = tmp_path / "excel.csv"
    rows = [f"{i % 7},{(i * 3) % 5},{'ab'[i % 2]}" for i in range(40)]
    data.write_text("income,age,label\n" + "\n".join(rows) + "\n", encoding="utf-8-sig")
    trained = _invoke("train", "--data", f"csv:{data}", "-q", "-o", tmp_path, "--epochs", "2")
    assert trained.exit_code == 0, trained.output
    model = tmp_path / "excel" / "model.safetensors"
    assert load_trained(model).preprocessor.encoder.feature_names == ["income", "age"]
    predicted = _invoke("predict", model, data)  # the BOM file again, for prediction
    assert predicted.exit_code == 0, predicted.output
    assert predicted.output.startswith("row,class,probability")


def test_inputs_far_outside_the_training_range_warn_once(tmp_path):
    from mlplab.data import load_digits

    trained = _invoke("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "-q",
                      "-o", tmp_path)
    assert trained.exit_code == 0, trained.output
    X, _ = load_digits(test_size=None)
    np.save(tmp_path / "counts.npy", X[:50] * 16)  # raw 0–16 counts, not [0, 1] values
    result = _invoke("predict", tmp_path / "digits" / "model.safetensors",
                     tmp_path / "counts.npy")
    assert result.exit_code == 0, result.output
    notices = [ln for ln in result.output.splitlines() if ln.startswith("warning: ")]
    assert len(notices) == 1 and "values range over [0, 16]" in notices[0]
    assert "trained on inputs in [0, 1]" in notices[0]
