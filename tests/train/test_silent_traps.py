"""Trainer traps that used to pass without a word: re-drawn loaded weights, empty fits."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.train import Trainer
from mlplab.train.seeds import SeedStreams

nn = ml.nn


def _data():
    X, y = ml.data.gaussians(n=200, seed=0)
    return X.astype(np.float32), y


def _model():
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))


def _weights(model):
    return [p.data.copy() for p in model.parameters()]


def test_a_loaded_model_keeps_its_weights_in_a_seeded_trainer(tmp_path):
    X, y = _data()
    model = _model()
    trained = Trainer(model, "cross_entropy", ml.optim.Adam(model.parameters(), lr=0.05),
                      metrics=("accuracy",), seed=0, verbose=0)
    trained.fit(X, y, epochs=20, batch_size=32)
    accuracy = trained.evaluate(X, y)["accuracy"]
    assert accuracy > 0.9
    loaded = ml.load(ml.save(model, tmp_path / "m.safetensors"))
    # evaluating through a seeded Trainer used to re-draw the weights (accuracy ≈ 1/3)
    judge = Trainer(loaded, "cross_entropy", "sgd", metrics=("accuracy",), seed=0, verbose=0)
    assert judge.evaluate(X, y)["accuracy"] == accuracy
    # ... and so does a second Trainer on the model a first one trained
    again = Trainer(model, "cross_entropy", "sgd", metrics=("accuracy",), seed=1, verbose=0)
    assert again.evaluate(X, y)["accuracy"] == accuracy


def test_weights_are_drawn_only_for_fresh_models_unless_asked():
    fresh = _model()
    Trainer(fresh, "cross_entropy", "sgd", seed=3, verbose=0)
    expected = _model().reset_parameters(np.random.default_rng(SeedStreams.from_seed(3).init))
    for a, b in zip(_weights(fresh), _weights(expected), strict=True):
        np.testing.assert_array_equal(a, b)  # a fresh model is a function of the seed

    stepped = _model()  # trained by a hand-written loop: its optimizer has stepped
    opt = ml.optim.SGD(stepped.parameters(), lr=0.1)
    X, y = _data()
    nn.CrossEntropyLoss()(stepped(ml.Tensor(X)), ml.Tensor(y)).backward()
    opt.step()
    before = _weights(stepped)
    Trainer(stepped, "cross_entropy", opt, seed=3, verbose=0)
    for a, b in zip(before, _weights(stepped), strict=True):
        np.testing.assert_array_equal(a, b)

    Trainer(stepped, "cross_entropy", opt, seed=3, verbose=0, reinitialize=True)
    for a, b in zip(_weights(expected), _weights(stepped), strict=True):
        np.testing.assert_array_equal(a, b)  # asked explicitly: re-drawn from the seed
    kept = _model()
    before = _weights(kept)
    Trainer(kept, "cross_entropy", "sgd", seed=3, verbose=0, reinitialize=False)
    for a, b in zip(before, _weights(kept), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ParameterError, match="reinitialize"):
        Trainer(_model(), "cross_entropy", "sgd", reinitialize="yes")


def test_a_second_fit_continues_the_count_and_never_trains_zero_epochs():
    X, y = _data()
    trainer = Trainer(_model(), "cross_entropy", "adam", seed=0, verbose=0)
    trainer.fit(X, y, epochs=3, batch_size=32)
    before = _weights(trainer.model)
    with pytest.raises(ParameterError, match=r"nothing to train.*3 epochs are already done.*"
                                             r"epochs=6 trains 3 more"):
        trainer.fit(X, y, epochs=3, batch_size=32)
    for a, b in zip(before, _weights(trainer.model), strict=True):
        np.testing.assert_array_equal(a, b)
    history = trainer.fit(X, y, epochs=5, batch_size=32)
    assert history.epoch == [0, 1, 2, 3, 4] and trainer.epochs_done == 5
    assert len(history["loss"]) == 5
    with pytest.raises(ParameterError, match="initial_epoch=0 goes back"):
        trainer.fit(X, y, epochs=8, initial_epoch=0)
    assert trainer.epochs_done == 5 and len(history["loss"]) == 5


def test_initial_epoch_may_start_later_as_in_keras():
    X, y = _data()
    trainer = Trainer(_model(), "cross_entropy", "adam", seed=0, verbose=0)
    history = trainer.fit(X, y, epochs=7, initial_epoch=5, batch_size=32)
    assert history.epoch == [5, 6] and trainer.epochs_done == 7
    trainer.fit(X, y, epochs=0)  # no training asked for in so many words: none done
    assert history.epoch == [5, 6] and trainer.epochs_done == 7
