"""Checkpoints: a damaged or foreign one is refused, and the Trainer is left as it was."""

from __future__ import annotations

import json

import numpy as np
import pytest

import mlplab as ml
from mlplab.io import ModelFileError
from tests.io.hostile import write_model

nn = ml.nn


def _trainer(width=3):
    model = nn.Sequential(nn.Linear(4, width, seed=0), nn.ReLU(), nn.Linear(width, 2, seed=1))
    return ml.train.Trainer(model, nn.CrossEntropyLoss(),
                            ml.optim.Adam(model.parameters(), lr=0.01), seed=0, verbose=0)


def _fitted(width=3):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 4)).astype(np.float32), rng.integers(0, 2, 32)
    trainer = _trainer(width)
    trainer.fit(X, y, epochs=2, batch_size=8)
    return trainer


def _snapshot(trainer):
    return (trainer.epochs_done, trainer.resumed,
            [p.data.copy() for p in trainer.model.parameters()])


def _same(a, b):
    assert a[:2] == b[:2]
    for x, y in zip(a[2], b[2], strict=True):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("damage", [
    lambda s: {**s, "model": {"0.weight": np.zeros((9, 9))}},
    lambda s: {**s, "epochs_done": "many"},
    lambda s: {**s, "rng": {"shuffle": {"bit_generator": "evil"}}},
    lambda s: {k: v for k, v in s.items() if k != "history"},
    lambda s: {**s, "optimizer": [1, 2]},
], ids=["weights", "epochs", "rng", "history", "optimizer"])
def test_a_checkpoint_that_does_not_fit_leaves_the_trainer_unchanged(tmp_path, damage):
    path = ml.io.save_state(damage(_fitted().state_dict()), tmp_path / "c.safetensors")
    target = _trainer()
    before = _snapshot(target)
    with pytest.raises(ModelFileError, match="does not fit the Trainer") as info:
        target.resume(path)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)
    _same(_snapshot(target), before)


def test_checkpoint_of_another_architecture_is_refused(tmp_path):
    path = _fitted(width=5).save_checkpoint(tmp_path / "c.safetensors")
    with pytest.raises(ModelFileError, match="shape"):
        _trainer(width=3).resume(path)


def test_good_checkpoint_still_resumes(tmp_path):
    source = _fitted()
    path = source.save_checkpoint(tmp_path / "c.safetensors")
    target = _trainer().resume(path)
    assert target.resumed and target.epochs_done == 2
    for a, b in zip(_snapshot(target)[2], _snapshot(source)[2], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("state_text", ["null", "[1]", '{"__array__": "missing"}',
                                        '{"a": {"__tuple__": {}}}'])
def test_malformed_state_tree_is_refused(tmp_path, state_text):
    meta = {"format": "mlplab", "format_version": 1, "kind": "checkpoint", "scalars": []}
    text = json.dumps(meta)[:-1] + f', "state": {state_text}}}'
    with pytest.raises(ModelFileError):
        ml.io.load_state(write_model(tmp_path / "c.safetensors", text))
