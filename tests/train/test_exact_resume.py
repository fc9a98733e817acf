"""Exact resume with every stateful callback: N epochs straight equal k epochs, a real
``kill -9``, a resume and N − k more, bit for bit; the same after Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mlplab as ml
from mlplab.train import ResumeWarning, TrainingInterrupted
from mlplab.train.callbacks import Callback, EarlyStopping, ModelCheckpoint
from tests.train import killable

ROOT = Path(__file__).resolve().parents[2]
K = 3  # epochs completed before the kill


def _same_run(straight, resumed, straight_dir: Path, resumed_dir: Path) -> None:
    assert resumed.history.history == straight.history.history
    assert resumed.history.epoch == straight.history.epoch  # the epoch it stopped at, too
    assert resumed.epochs_done == straight.epochs_done
    for a, b in zip(straight.model.parameters(), resumed.model.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)
    for name in ("log.csv", "best.safetensors"):
        if (straight_dir / name).exists():
            assert (resumed_dir / name).read_bytes() == (straight_dir / name).read_bytes(), name


def _killed_run(case: str, folder: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    done = subprocess.run([sys.executable, "-m", "tests.train.killable", case, str(folder),
                           str(K)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


@pytest.mark.parametrize("case", killable.CASES)
def test_kill_minus_nine_then_resume_equals_the_straight_run(tmp_path, case):
    straight_dir, resumed_dir = tmp_path / "straight", tmp_path / "resumed"
    straight = killable.trainer(case, straight_dir)
    straight.fit(*killable.data(), **killable.FIT)
    if case in ("early_stopping", "all"):
        assert straight.epochs_done == 5  # stopped early, after the resume point

    _killed_run(case, resumed_dir)
    assert (resumed_dir / f"ckpt-{K}.safetensors").exists()
    assert not (resumed_dir / f"ckpt-{K + 1}.safetensors").exists()
    # the CSV case resumes from an older checkpoint: the row the killed run wrote for
    # epoch K must be cut off and written again
    start = K - 1 if case == "csv_logger" else K
    resumed = killable.trainer(case, resumed_dir).resume(resumed_dir / f"ckpt-{start}.safetensors")
    assert resumed.epochs_done == start
    resumed.fit(*killable.data(), **killable.FIT)
    _same_run(straight, resumed, straight_dir, resumed_dir)


def test_callback_states_are_matched_by_key_not_position(tmp_path):
    X, y = killable.data()
    source = killable.trainer("all", tmp_path)
    source.fit(X, y, epochs=3, batch_size=16, validation_split=0.2)
    path = tmp_path / "ckpt-3.safetensors"
    stopper = EarlyStopping("val_loss", patience=4, min_delta=10.0)
    other = ModelCheckpoint(tmp_path / "other.safetensors")
    other.key = "other"
    # another order and a new callback: each state still reaches its own callback
    target = killable.trainer("plateau", tmp_path)
    target.callbacks = [other, stopper, *target.callbacks]
    with pytest.warns(ResumeWarning) as caught:
        target.resume(path)
    message = str(caught[0].message)
    assert "\n" not in message
    assert "ModelCheckpoint:other has no saved state" in message
    assert "CSVLogger is saved but no callback has that key" in message
    assert stopper.wait == source.callbacks[0].wait == 2
    assert stopper.best == source.callbacks[0].best


class _InterruptAt(Callback):
    """Raise KeyboardInterrupt (or send SIGINT) at ``batch`` of ``epoch``."""

    def __init__(self, epoch: int, batch: int, send_signal: bool = False) -> None:
        self.at, self.send_signal, self.epoch = (epoch, batch), send_signal, -1

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            if self.send_signal:
                os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C does
            else:
                raise KeyboardInterrupt


@pytest.mark.parametrize("send_signal", [False, True], ids=["raised", "sigint"])
def test_ctrl_c_leaves_a_checkpoint_that_resumes_exactly(tmp_path, send_signal):
    straight = killable.trainer("all", tmp_path / "straight")
    straight.fit(*killable.data(), **killable.FIT)

    folder = tmp_path / "interrupted"
    handler = signal.getsignal(signal.SIGINT)
    run = killable.trainer("all", folder, _InterruptAt(epoch=3, batch=2,
                                                       send_signal=send_signal))
    with pytest.raises(TrainingInterrupted) as info:
        run.fit(*killable.data(), **killable.FIT)
    assert signal.getsignal(signal.SIGINT) is handler  # put back as it was
    stop = info.value
    assert isinstance(stop, KeyboardInterrupt)
    assert (stop.epoch, stop.batch) == (4, 3)  # stopped after the batch it was asked in
    assert stop.checkpoint == folder / "ckpt-3.safetensors"
    assert "resume" in str(stop) and str(stop.checkpoint) in str(stop)
    assert run.history.stopped_reason == "interrupted at epoch 4, batch 3"
    assert ml.io.load_state(stop.checkpoint)["epochs_done"] == 3

    resumed = killable.trainer("all", folder).resume(stop.checkpoint)
    resumed.fit(*killable.data(), **killable.FIT)
    _same_run(straight, resumed, tmp_path / "straight", folder)


def test_ctrl_c_writes_the_latest_epoch_when_only_the_best_is_kept(tmp_path):
    best = tmp_path / "best.safetensors"

    def run(*extra):
        return killable.trainer("plateau", tmp_path / "unused", *extra)

    straight = run()
    straight.fit(*killable.data(), **killable.FIT)
    interrupted = run(_InterruptAt(epoch=4, batch=0))
    interrupted.callbacks[-2] = ModelCheckpoint(best, min_delta=10.0, save_best_only=True)
    with pytest.raises(TrainingInterrupted) as info:
        interrupted.fit(*killable.data(), **killable.FIT)
    latest = tmp_path / "best.last.safetensors"
    assert info.value.checkpoint == latest
    assert ml.io.load_state(best)["epochs_done"] == 1  # the best one is left alone
    assert ml.io.load_state(latest)["epochs_done"] == 4
    resumed = run()
    resumed.callbacks[-1] = ModelCheckpoint(best, min_delta=10.0, save_best_only=True)
    resumed.resume(latest).fit(*killable.data(), **killable.FIT)
    assert resumed.history.history == straight.history.history
    for a, b in zip(straight.model.parameters(), resumed.model.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)


def test_ctrl_c_without_a_checkpoint_says_so(tmp_path):
    model = ml.nn.Sequential(ml.nn.Linear(2, 3))
    trainer = ml.train.Trainer(model, "cross_entropy", "sgd", verbose=0, seed=0,
                               callbacks=[_InterruptAt(epoch=0, batch=1)])
    with pytest.raises(TrainingInterrupted, match="no checkpoint was written") as info:
        trainer.fit(*killable.data(), epochs=2, batch_size=16)
    assert info.value.checkpoint is None and trainer.epochs_done == 0
