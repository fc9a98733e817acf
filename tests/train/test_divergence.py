"""A long run that goes wrong: NaN stops it with the documented error, explosions warn,
and the live progress bar's teardown survives an interrupt."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import mlplab as ml
from mlplab.train import DivergenceError, LossExplosionWarning, Trainer
from mlplab.train.callbacks import Callback, ModelCheckpoint, ProgressBar

nn = ml.nn


def _data():
    X, y = ml.data.gaussians(n=128, seed=0)
    return X.astype(np.float32), y


class Breaks(nn.Module):
    """The identity for its first ``calls`` training-mode forward passes, NaN after that."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.calls = calls

    def forward(self, x):
        self.calls -= self.training  # the Trainer's checks run in eval mode: not counted
        return x if self.calls >= 0 else x * float("nan")


class Snapshots(Callback):
    """The weights after every batch."""

    def __init__(self) -> None:
        self.last = None

    def on_batch_end(self, batch, logs=None):
        self.last = [p.data.copy() for p in self.trainer.model.parameters()]


def test_nan_stops_with_epoch_batch_layer_and_advice_before_the_metrics(tmp_path):
    X, y = _data()
    # 8 batches an epoch: the 13th forward pass is epoch 2, batch 5
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), Breaks(calls=12),
                          nn.Linear(8, 3, seed=1))
    snapshots = Snapshots()
    path = tmp_path / "ckpt.safetensors"
    trainer = Trainer(model, nn.CrossEntropyLoss(), ml.optim.SGD(model.parameters(), lr=0.1),
                      metrics=("accuracy",), verbose=0, seed=0,
                      callbacks=[ModelCheckpoint(path), snapshots])
    with pytest.raises(DivergenceError) as info:
        trainer.fit(X, y, epochs=5, batch_size=16)
    message = str(info.value)
    assert "epoch 2, batch 5" in message
    assert "layer '2' (Breaks)" in message
    assert "lower learning rate" in message and "clip" in message and "normaliz" in message
    assert str(path) in message  # the last good checkpoint, kept
    assert ml.io.load_state(path)["epochs_done"] == 1
    assert trainer.epochs_done == 1 and len(info.value.history["loss"]) == 1
    for a, b in zip(snapshots.last, (p.data for p in model.parameters()), strict=True):
        np.testing.assert_array_equal(a, b)  # no step was taken on the NaN batch


def test_an_exploding_but_finite_loss_warns_once():
    X, y = _data()

    def fit(lr):
        model = nn.Sequential(nn.Linear(2, 16, seed=0), nn.ReLU(), nn.Linear(16, 3, seed=1))
        trainer = Trainer(model, nn.CrossEntropyLoss(), ml.optim.Adam(model.parameters(), lr=lr),
                          verbose=0, seed=0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = trainer.fit(X, y, epochs=6, batch_size=32)
        return history, [w for w in caught if issubclass(w.category, LossExplosionWarning)]

    history, explosions = fit(100.0)  # Adam at α = 100: millions, but finite
    assert np.isfinite(history["loss"]).all()
    assert len(explosions) == 1
    assert "exploded" in str(explosions[0].message) and "lower learning rate" in str(
        explosions[0].message)
    assert fit(0.01)[1] == []


class _Stub:
    class settings:  # noqa: N801 - the attributes ProgressBar reads
        epochs, steps = 3, 10

    class history:  # noqa: N801
        stopped_reason = "interrupted at epoch 1, batch 1"


def test_progress_bar_teardown_survives_a_half_started_bar():
    from rich.console import Console

    out = io.StringIO()
    bar = ProgressBar(verbose=1, force=True, console=Console(file=out, force_terminal=True))
    bar.set_trainer(_Stub())
    bar.on_train_begin()
    bar.on_epoch_begin(0)
    # Ctrl-C between rich's Live.start marking itself started and pushing its render
    # hook: stopping it then popped an empty list and left the cursor hidden
    bar._progress.live.console.pop_render_hook()
    bar.on_train_end()
    bar.on_train_end()  # idempotent
    text = out.getvalue()
    assert text.rfind("\x1b[?25h") > text.rfind("\x1b[?25l") >= 0  # the cursor is back
    assert text.count("interrupted at epoch 1, batch 1") == 1
