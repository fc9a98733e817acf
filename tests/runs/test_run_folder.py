"""What a run leaves behind: nothing when it fails early, a folder marked FAILED when it fails
after training, files that follow the umask, and the exact state to resume from."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from mlplab.runs import make_config, resume_experiment, run_experiment
from mlplab.runs.run_folder import FAILED_FILE, RESUME_FILE
from mlplab.train.callbacks import Callback

BASE = dict(data="synthetic:moons,n=200", hidden=[4], epochs=4, batch_size=32)


class FailAt(Callback):
    """Raise ``error`` after the first batch of epoch ``epoch`` (0-based): a failure (or
    Ctrl-C) in the middle of training, ``epoch`` epochs after it began."""

    def __init__(self, epoch: int, error: BaseException) -> None:
        self.epoch, self.error = epoch, error

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_batch_end(self, batch, logs=None):
        if self.current == self.epoch:
            raise self.error


@pytest.fixture
def inject(monkeypatch):
    """Add a callback to the next runs' callbacks (the test hook for failures and Ctrl-C)."""
    import mlplab.runs.experiment as experiment

    def add(callback):
        original = experiment.run_callbacks
        monkeypatch.setattr(experiment, "run_callbacks",
                            lambda *a, **k: [*original(*a, **k), callback])
    return add


def _config(tmp_path, **settings):
    return make_config({**BASE, "output_dir": str(tmp_path / "runs"), **settings})


def test_a_failure_before_the_first_epoch_ends_leaves_no_folder(tmp_path, inject):
    inject(FailAt(0, RuntimeError("boom")))
    with pytest.raises(RuntimeError, match="boom") as caught:
        run_experiment(_config(tmp_path))
    assert "nothing was kept" in caught.value.__notes__[0]
    assert list(tmp_path.iterdir()) == []  # the output folder it created is gone too


def test_a_failure_after_training_keeps_the_folder_marked_failed(tmp_path, inject):
    inject(FailAt(2, RuntimeError("boom")))
    with pytest.raises(RuntimeError) as caught:
        run_experiment(_config(tmp_path, name="r"))
    run_dir = tmp_path / "runs" / "r"
    assert f"kept and marked as failed ({run_dir / FAILED_FILE})" in caught.value.__notes__[0]
    assert "RuntimeError: boom" in (run_dir / FAILED_FILE).read_text()
    assert (run_dir / "config.toml").is_file() and (run_dir / "history.csv").is_file()


def test_a_failure_in_an_earlier_runs_folder_marks_it_and_a_success_clears_the_mark(
        tmp_path, inject, monkeypatch):
    run_experiment(_config(tmp_path, name="r", epochs=1))
    run_dir = tmp_path / "runs" / "r"
    before = {p.name for p in run_dir.iterdir()}
    inject(FailAt(0, RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        run_experiment(_config(tmp_path, name="r"))
    assert {p.name for p in run_dir.iterdir()} == before | {FAILED_FILE}  # nothing deleted
    monkeypatch.undo()
    run_experiment(_config(tmp_path, name="r", epochs=1))
    assert not (run_dir / FAILED_FILE).exists()


def test_every_file_of_a_run_follows_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        result = run_experiment(_config(tmp_path, epochs=2))
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in result.run_dir.iterdir()}
    assert set(modes.values()) == {0o640}, modes  # model, checkpoint, config, PNGs alike


def test_an_interrupted_run_resumes_to_the_same_model_bit_for_bit(tmp_path, inject,
                                                                 monkeypatch):
    full = run_experiment(_config(tmp_path, name="full", early_stopping=False))
    inject(FailAt(1, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt) as caught:
        run_experiment(_config(tmp_path, name="cut", early_stopping=False))
    run_dir = tmp_path / "runs" / "cut"
    assert f"mlplab train --resume {run_dir}" in caught.value.__notes__[0]
    assert (run_dir / RESUME_FILE).is_file()
    monkeypatch.undo()
    resumed = resume_experiment(run_dir)
    expected, got = full.model.state_dict(), resumed.model.state_dict()
    assert all(np.array_equal(expected[k], got[k]) for k in expected)
    assert resumed.history == full.history
    assert (run_dir / "history.csv").read_text() == \
        (tmp_path / "runs" / "full" / "history.csv").read_text()
    assert not (run_dir / RESUME_FILE).exists()  # a finished run has nothing to resume
