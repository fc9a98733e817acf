"""``maxout_pieces``: from every config form to the model, and back out as Python."""

from __future__ import annotations

import shlex

import numpy as np
import pytest

import mlplab.nn as nn
from mlplab.autograd.tensor import Tensor
from mlplab.checks import ParameterError
from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config
from mlplab.playground.python_snippet import python_snippet
from mlplab.playground.session import Session, parse_and_submit
from mlplab.playground.url_state import from_flags, from_url_hash, to_flags, to_url_hash

SETTINGS = {"network_shape": [3, 2], "layer_activations": ["maxout", "tanh"],
            "maxout_pieces": 4, "num_samples": 80}


@pytest.mark.parametrize("pieces", [2, 3, 5])
def test_pieces_reach_every_maxout_layer(pieces):
    model = mb.build_model(make_config({"network_shape": [3, 2], "activation": "maxout",
                                        "maxout_pieces": pieces}))
    layers = [m for m in model if isinstance(m, nn.Maxout)]
    assert [m.pieces for m in layers] == [pieces, pieces]
    assert layers[0].weight.shape == (3 * pieces, 2)       # k rows of W per unit
    assert model(Tensor(np.zeros((4, 2), np.float32))).shape == (4, 1)


def test_default_is_two_and_the_range_is_checked():
    assert make_config().maxout_pieces == 2
    for bad in (1, 6):
        with pytest.raises(ParameterError, match="maxout_pieces"):
            make_config({"maxout_pieces": bad})


def test_pieces_round_trip_url_json_flags():
    config = make_config(SETTINGS)
    assert "maxoutPieces=4" in to_url_hash(config)
    assert from_url_hash(to_url_hash(config))[0] == config
    assert make_config(config.model_dump()) == config
    assert "--maxout-pieces 4" in to_flags(config)
    assert from_flags(shlex.split(to_flags(config))) == config


def test_snippet_rebuilds_the_pieces_and_the_weights():
    config = make_config(SETTINGS)
    session = Session(config)
    parse_and_submit(session, {"op": "step", "epochs": 3})
    text = python_snippet(config, session.run.epoch)
    assert "'maxout_pieces': 4" in text
    namespace: dict = {"__name__": "snippet"}
    exec(compile(text, "snippet.py", "exec"), namespace)
    assert namespace["model"][0].pieces == 4
    ours = [p.data for p in session.run.model.parameters()]
    theirs = [p.data for p in namespace["model"].parameters()]
    assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))
