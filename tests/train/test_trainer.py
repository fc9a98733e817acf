"""Trainer: learning on real data, determinism, exact resume, callbacks, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

import mlplab as ml
from mlplab.train import DivergenceError, Trainer
from mlplab.train.callbacks import (
    ActivationStats,
    CSVLogger,
    EarlyStopping,
    LearningRateScheduler,
    ModelCheckpoint,
    ReduceLROnPlateau,
)

nn = ml.nn


def _blobs(n=300, seed=0):
    X, y = ml.data.gaussians(n=n, seed=seed)
    return X.astype(np.float32), y


def _mlp(width=16, out=3, dropout=0.0, seed=0):
    layers = [nn.Linear(2, width, seed=seed), nn.ReLU()]
    if dropout:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(width, out, seed=seed + 1))
    return nn.Sequential(*layers)


def _trainer(model=None, lr=0.05, **kwargs):
    model = model or _mlp()
    return Trainer(model, nn.CrossEntropyLoss(), ml.optim.Adam(model.parameters(), lr=lr),
                   metrics=("accuracy",), verbose=0, **kwargs)


def test_digits_reaches_97_percent():
    # Regularizers together: dropout, decoupled weight decay, label smoothing,
    # data augmentation (sub-pixel shifts and small rotations) and early stopping.
    (X_train, y_train), (X_test, y_test) = ml.data.load_digits(seed=0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
    trainer = Trainer(model, nn.CrossEntropyLoss(label_smoothing=0.1),
                      ml.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2),
                      metrics=("accuracy",), seed=0, verbose=0,
                      augment=ml.data.Augmenter(shift=0.5, rotate=8, image_shape=(8, 8)),
                      callbacks=[EarlyStopping("val_loss", patience=20,
                                               restore_best_weights=True)])
    history = trainer.fit(X_train, y_train, epochs=300, batch_size=32, validation_split=0.1)
    assert set(history.history) >= {"loss", "val_loss", "accuracy", "val_accuracy", "lr"}
    assert len(history.epoch) < 300  # early stopping ended it
    assert trainer.evaluate(X_test, y_test)["accuracy"] >= 0.97


def test_same_seed_gives_identical_history():
    X, y = _blobs()

    def run():
        model = _mlp(dropout=0.3)
        trainer = Trainer(model, nn.CrossEntropyLoss(), ml.optim.SGD(model.parameters(), lr=0.1,
                                                                     momentum=0.9),
                          metrics=("accuracy",), seed=123, verbose=0)
        return trainer.fit(X, y, epochs=4, batch_size=16, validation_split=0.2).history

    first, second = run(), run()
    assert first == second  # bit-identical floats, including dropout and the split
    model = _mlp(dropout=0.3)
    other = Trainer(model, nn.CrossEntropyLoss(), ml.optim.SGD(model.parameters(), lr=0.1,
                                                               momentum=0.9),
                    seed=124, verbose=0).fit(X, y, epochs=4, batch_size=16,
                                             validation_split=0.2).history
    assert other["loss"] != first["loss"]


def test_resume_from_checkpoint_is_exact(tmp_path):
    X, y = _blobs()
    path = tmp_path / "ckpt.safetensors"

    def make(callbacks=()):
        model = _mlp(dropout=0.2)
        return Trainer(model, nn.CrossEntropyLoss(), ml.optim.Adam(model.parameters(), lr=0.01),
                       metrics=("accuracy",), seed=7, verbose=0, callbacks=callbacks)

    full = make()
    full.fit(X, y, epochs=6, batch_size=32, validation_split=0.2)

    first = make(callbacks=[ModelCheckpoint(path)])
    first.fit(X, y, epochs=3, batch_size=32, validation_split=0.2)
    resumed = make(callbacks=[ModelCheckpoint(path)]).resume(path)
    assert resumed.epochs_done == 3
    resumed.fit(X, y, epochs=6, batch_size=32, validation_split=0.2)

    assert resumed.history.history == full.history.history
    for a, b in zip(full.model.parameters(), resumed.model.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)


def test_early_stopping_stops_after_patience():
    X, y = _blobs(n=120)
    stopper = EarlyStopping("val_loss", patience=2, restore_best_weights=True)
    trainer = _trainer(lr=0.5, callbacks=[stopper], seed=0)
    history = trainer.fit(X, y, epochs=200, batch_size=8, validation_split=0.3)
    assert len(history.epoch) < 200
    assert history.stopped_reason and "did not improve" in history.stopped_reason
    assert stopper.best == pytest.approx(min(history["val_loss"]))
    # Keras's count: stopped at the end of the patience-th epoch in a row without improvement
    assert len(history.epoch) - 1 - stopper.best_epoch == stopper.patience


# overflowing matmuls are the point of this test
@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning",
                            "ignore:invalid value:RuntimeWarning")
def test_divergence_stops_with_advice_and_keeps_best_checkpoint(tmp_path):
    X, y = _blobs()
    X = X * 1e3
    path = tmp_path / "best.safetensors"
    model = _mlp()
    trainer = Trainer(model, nn.CrossEntropyLoss(), ml.optim.SGD(model.parameters(), lr=1e3),
                      seed=0, verbose=0, callbacks=[ModelCheckpoint(path, monitor="loss")])
    with pytest.raises(DivergenceError, match="lower learning rate") as info:
        trainer.fit(X, y, epochs=50, batch_size=32)
    assert "epoch" in str(info.value) and "batch" in str(info.value)
    if path.exists():  # a checkpoint written before divergence is readable and finite
        state = ml.io.load_state(path)
        assert all(np.isfinite(v).all() for v in state["model"].values())


def test_callbacks_change_learning_rate_and_log(tmp_path):
    X, y = _blobs()
    csv_path = tmp_path / "log.csv"
    trainer = _trainer(lr=0.1, seed=0, callbacks=[
        LearningRateScheduler(lambda epoch: 0.1 * 0.5**epoch), CSVLogger(csv_path)])
    history = trainer.fit(X, y, epochs=3, batch_size=64)
    assert history["lr"] == pytest.approx([0.1, 0.05, 0.025])
    lines = csv_path.read_text().strip().splitlines()
    assert lines[0].split(",")[0] == "epoch" and len(lines) == 4

    plateau = ReduceLROnPlateau("loss", factor=0.5, patience=1, min_delta=10.0)
    trainer = _trainer(lr=0.1, seed=0, callbacks=[plateau])
    history = trainer.fit(X, y, epochs=4, batch_size=64)
    assert history["lr"][-1] < 0.1  # a min_delta of 10 means no epoch counts as improving


def test_activation_stats_records_every_hidden_layer():
    X, y = _blobs()
    model = nn.Sequential(nn.Linear(2, 8, seed=0), nn.Sigmoid(), nn.Linear(8, 8, seed=1),
                          nn.ReLU(), nn.Linear(8, 3, seed=2))
    stats = ActivationStats(every=5)
    Trainer(model, nn.CrossEntropyLoss(), ml.optim.SGD(model.parameters(), lr=0.1),
            callbacks=[stats], verbose=0, seed=0).fit(X, y, epochs=2, batch_size=50)
    layers = {r["layer"] for r in stats.records}
    assert layers == {"0:Linear", "1:Sigmoid", "2:Linear", "3:ReLU"}
    relu = [r for r in stats.records if r["layer"] == "3:ReLU" and r["kind"] == "activation"][-1]
    assert 0.0 <= relu["dead_fraction"] <= 1.0
    assert sum(relu["hist_counts"]) == 8 * 256 or sum(relu["hist_counts"]) == 8 * len(X[:256])
    sig = [r for r in stats.records if r["layer"] == "1:Sigmoid" and r["kind"] == "activation"]
    assert sig[-1]["saturated_fraction"] is not None
    assert {r["kind"] for r in stats.records} == {"activation", "gradient"}


def test_predict_and_predict_proba():
    X, y = _blobs()
    trainer = _trainer(seed=0)
    trainer.fit(X, y, epochs=30, batch_size=32)
    proba = trainer.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(trainer.predict(X), proba.argmax(axis=1))
    assert (trainer.predict(X) == y).mean() > 0.9


def test_regression_and_binary_tasks():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)).astype(np.float32)
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3
    model = nn.Sequential(nn.Linear(3, 1, seed=0))
    trainer = Trainer(model, "mse", ml.optim.Adam(model.parameters(), lr=0.05),
                      metrics=("mae", "r2"), verbose=0)
    history = trainer.fit(X, y, epochs=60, batch_size=32)
    assert history["r2"][-1] > 0.99
    assert trainer.predict(X).shape == (200,)

    labels = (X[:, 0] > 0).astype(np.int64)
    model = nn.Sequential(nn.Linear(3, 1, seed=0))
    trainer = Trainer(model, "bce_with_logits", ml.optim.Adam(model.parameters(), lr=0.05),
                      metrics=("accuracy",), verbose=0)
    trainer.fit(X, labels, epochs=40, batch_size=32)
    assert trainer.evaluate(X, labels)["accuracy"] > 0.95
    assert trainer.predict_proba(X).shape == (200, 2)


@pytest.mark.parametrize("kwargs, message", [
    ({"epochs": -1}, "epochs"),
    ({"batch_size": 0}, "batch_size"),
    ({"validation_split": 1.5}, "validation_split"),
])
def test_bad_fit_arguments(kwargs, message):
    X, y = _blobs(n=30)
    with pytest.raises(ValueError, match=message):
        _trainer().fit(X, y, **kwargs)


def test_bad_data_is_reported_at_the_boundary():
    X, y = _blobs(n=30)
    trainer = _trainer()
    with pytest.raises(ValueError, match="different lengths"):
        trainer.fit(X, y[:-1])
    X_nan = X.copy()
    X_nan[4, 1] = np.nan
    with pytest.raises(ValueError, match="row 4, column 1"):
        trainer.fit(X_nan, y)
    with pytest.raises(TypeError, match="integer class ids"):
        trainer.fit(X, y + 0.5)
    with pytest.raises(ValueError, match="out of range for 3 classes"):
        trainer.fit(X, np.where(y == 0, 7, y))
    with pytest.raises(ValueError, match="empty"):
        trainer.fit(X[:0], y[:0])
    with pytest.raises(ml.autograd.ShapeError, match="width 5"):
        trainer.fit(np.ones((30, 5), dtype=np.float32), y)
    with pytest.raises(ValueError, match="unknown loss"):
        Trainer(_mlp(), "cross_entropie", "adam")


def test_loss_and_optimizer_by_name():
    X, y = _blobs(n=60)
    trainer = Trainer(_mlp(), "cross_entropy", "adam", metrics=("accuracy",), verbose=0, seed=0)
    history = trainer.fit(X, y, epochs=2, batch_size=16)
    assert math.isfinite(history["loss"][-1])


@pytest.mark.parametrize("layerwise", [False, True])
def test_trainer_steps_like_a_plain_loop_and_releases_the_gradients(layerwise):
    # the Trainer lets the optimizer reuse the gradients' memory (consume_grads), and
    # updates during the backward pass (layerwise=True; for layers this small, once over
    # all parameters laid end to end: tests/train/test_flat_step.py): the weights must
    # match a hand-written loop over the same batches exactly
    X, y = _blobs(n=64)
    model, twin = _mlp(seed=3), _mlp(seed=3)
    trainer = Trainer(model, nn.CrossEntropyLoss(),
                      ml.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), verbose=0)
    trainer.layerwise_update = layerwise
    opt = ml.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for start in range(0, 64, 16):
        xb, yb = X[start:start + 16], y[start:start + 16]
        trainer.train_step(xb, yb)
        loss = loss_fn(twin(ml.Tensor(xb)), ml.Tensor(yb))
        opt.zero_grad()
        loss.backward()
        opt.step()
        assert all(p.grad is None for p in model.parameters())
    assert trainer.optimizer.step_count == opt.step_count == 4
    for p, q in zip(model.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_trainer_accepts_an_optimizer_without_consume_grads():
    class PlainSGD:  # duck-typed: step() and zero_grad() only
        def __init__(self, params, lr):
            self.params, self.lr = list(params), lr
            self.param_groups = [{"lr": lr, "params": self.params}]

        def zero_grad(self):
            for p in self.params:
                p.grad = None

        def step(self):
            for p in self.params:
                p.data -= self.lr * p.grad

        def learning_rate(self, group):
            return group["lr"]

    X, y = _blobs()
    model = _mlp()
    trainer = Trainer(model, nn.CrossEntropyLoss(), PlainSGD(model.parameters(), 0.1),
                      verbose=0, seed=0)
    history = trainer.fit(X, y, epochs=3, batch_size=32)
    assert history.history["loss"][-1] < history.history["loss"][0]
