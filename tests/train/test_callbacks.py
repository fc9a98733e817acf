"""Callbacks: one plateau rule shared with ml.optim, exact resume of their state, settings."""

from __future__ import annotations

import math

import numpy as np
import pytest

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.optim.plateau import ReduceLROnPlateau as PlateauSchedule
from mlplab.train import Trainer
from mlplab.train.callbacks import Callback, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from mlplab.train.seeds import SeedStreams

nn = ml.nn


class _Stub:
    """The little of a Trainer that ReduceLROnPlateau reads: the optimizer, ``resumed``."""

    resumed = False

    def __init__(self, lrs):
        groups = [{"params": [nn.Linear(1, 1).weight], "lr": lr} for lr in lrs]
        self.optimizer = ml.optim.SGD(groups, lr=lrs[0])


# improvements, plateaus, a NaN, a cooldown and the min_lr floor all occur in this sequence
_VALUES = [1.0, 0.9, 0.95, 0.97, 0.96, 0.5, 0.6, 0.7, float("nan"), 0.8, 0.9, 0.4, 0.45,
           0.46, 0.47, 0.48, 0.49, 0.5, 0.51]


@pytest.mark.parametrize("mode, monitor, sign", [("min", "val_loss", 1.0),
                                                 ("max", "val_accuracy", -1.0)])
def test_callback_follows_the_optim_schedule_exactly(mode, monitor, sign):
    options = {"factor": 0.5, "patience": 2, "cooldown": 1, "min_delta": 0.01, "min_lr": 0.02}
    schedule = PlateauSchedule(0.1, mode=mode, **options)
    callback = ReduceLROnPlateau(monitor, **options)  # 'auto' mode: max for val_accuracy
    trainer = _Stub([0.1, 0.3])
    callback.set_trainer(trainer)
    callback.on_train_begin()
    ours, theirs, second = [], [], []
    for epoch, value in enumerate(_VALUES):
        callback.on_epoch_end(epoch, {monitor: sign * value})
        ours.append(trainer.optimizer.param_groups[0]["lr"])
        second.append(trainer.optimizer.param_groups[1]["lr"])
        theirs.append(schedule.update(sign * value))
    assert ours == theirs
    assert min(ours) == 0.02 and len(set(ours)) > 2  # it did reduce, down to min_lr
    # the second group follows the same rule from its own α
    assert second[:ours.index(0.05)] == pytest.approx([3 * lr for lr in ours[:ours.index(0.05)]])
    lrs = list(zip([0.1, *ours], [0.3, *second], strict=False))
    changed = [(e, ours[e]) for e in range(len(ours)) if lrs[e + 1] != lrs[e]]
    assert callback.reductions == changed  # reported: (epoch, first group's new lr)


def test_callback_in_a_trainer_matches_the_schedule_fed_its_history():
    X, y = ml.data.gaussians(n=120, seed=0)
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Linear(8, 3, seed=1))
    plateau = ReduceLROnPlateau("loss", factor=0.5, patience=2, min_delta=1.0, cooldown=1)
    trainer = Trainer(model, nn.CrossEntropyLoss(), ml.optim.SGD(model.parameters(), lr=0.05),
                      callbacks=[plateau], verbose=0, seed=0)
    history = trainer.fit(X, y, epochs=10, batch_size=32)
    schedule = PlateauSchedule(0.05, factor=0.5, patience=2, min_delta=1.0, cooldown=1)
    expected = [0.05] + [schedule.update(v) for v in history["loss"][:-1]]
    assert history["lr"] == pytest.approx(expected)
    assert history["lr"][-1] < 0.05


def test_plateau_arguments_are_checked_by_the_schedule():
    with pytest.raises(ParameterError, match="ReduceLROnPlateau: factor"):
        ReduceLROnPlateau(factor=1.5)
    with pytest.raises(ParameterError, match="ReduceLROnPlateau: patience"):
        ReduceLROnPlateau(patience=-1)
    with pytest.raises(ParameterError, match="ReduceLROnPlateau: mode"):
        ReduceLROnPlateau(mode="minimum")
    with pytest.raises(ParameterError, match="EarlyStopping: patience"):
        EarlyStopping(patience=1.5)


def test_resume_keeps_the_state_of_monitoring_callbacks(tmp_path):
    X, y = ml.data.gaussians(n=150, seed=1)
    path = tmp_path / "ckpt.safetensors"

    def make(*extra):
        model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.ReLU(), nn.Linear(8, 3, seed=1))
        # no epoch after the first improves by 10: reductions after epochs 3 and 5 (counting
        # from 1), so the plateau counter runs across the resume point after epoch 4
        callbacks = [ReduceLROnPlateau("val_loss", factor=0.5, patience=2, min_delta=10.0),
                     EarlyStopping("val_loss", patience=50), *extra]
        return Trainer(model, nn.CrossEntropyLoss(), ml.optim.Adam(model.parameters(), lr=0.02),
                       callbacks=callbacks, verbose=0, seed=3)

    full = make()
    full.fit(X, y, epochs=8, batch_size=32, validation_split=0.2)
    first = make(ModelCheckpoint(path))
    first.fit(X, y, epochs=4, batch_size=32, validation_split=0.2)
    resumed = make(ModelCheckpoint(path)).resume(path)
    assert resumed.resumed
    resumed.fit(X, y, epochs=8, batch_size=32, validation_split=0.2)
    assert not resumed.resumed
    assert resumed.history.history == full.history.history
    assert full.history["lr"] == pytest.approx([0.02] * 3 + [0.01] * 2 + [0.005] * 2 + [0.0025])
    assert resumed.callbacks[1].wait == full.callbacks[1].wait


def test_callbacks_read_the_fit_settings():
    seen = {}

    class Recorder(Callback):
        def on_train_begin(self, logs=None):
            seen["settings"] = self.trainer.settings

    X, y = ml.data.gaussians(n=100, seed=0)
    model = nn.Sequential(nn.Linear(2, 3, seed=0))
    Trainer(model, "cross_entropy", "sgd", callbacks=[Recorder()], verbose=0).fit(
        X, y, epochs=2, batch_size=16, validation_split=0.2)
    settings = seen["settings"]
    assert (settings.epochs, settings.batch_size, settings.samples) == (2, 16, 80)
    assert settings.steps == math.ceil(80 / 16)


def test_seed_streams_keep_their_order():
    # the field order is the spawn order: reordering would change every seeded run
    streams = SeedStreams.from_seed(5)
    children = np.random.SeedSequence(5).spawn(5)
    for stream, child in zip(streams, children, strict=True):
        assert np.array_equal(stream.generate_state(4), child.generate_state(4))
    assert SeedStreams._fields == ("shuffle", "layers", "augment", "init", "split")
