"""The loader's shape rules agree with the layers they describe, for every mlplab.nn layer."""

from __future__ import annotations

import inspect

import pytest

import mlplab as ml
from mlplab.io.description import bind_arguments
from mlplab.io.shapes import SHAPE_RULES, SIZED_BY_ARGUMENTS

nn = ml.nn

CASES = [
    (nn.Linear, {"in_features": 4, "out_features": 3}),
    (nn.Linear, {"in_features": 4, "out_features": 3, "bias": False}),
    (nn.Maxout, {"in_features": 4, "out_features": 3, "pieces": 2}),
    (nn.Maxout, {"in_features": 4, "out_features": 3, "pieces": 5, "bias": False}),
    (nn.PReLU, {}), (nn.PReLU, {"num_parameters": 7}),
    (nn.BatchNorm1d, {"num_features": 5}),
    (nn.BatchNorm1d, {"num_features": 5, "affine": False}),
    (nn.BatchNorm1d, {"num_features": 5, "track_running_stats": False}),
    (nn.LayerNorm, {"normalized_shape": 6}), (nn.LayerNorm, {"normalized_shape": [2, 3]}),
    (nn.LayerNorm, {"normalized_shape": 6, "bias": False}),
    (nn.LayerNorm, {"normalized_shape": 6, "elementwise_affine": False}),
]


@pytest.mark.parametrize(("cls", "args"), CASES, ids=lambda x: getattr(x, "__name__", str(x)))
def test_shape_rule_matches_the_layer(cls, args):
    built = {name: tuple(value.shape) for name, value in cls(**args).state_dict().items()}
    assert SHAPE_RULES[cls](**bind_arguments(cls, args, cls.__name__)) == built


def test_every_layer_is_listed_once():
    layers = {obj for obj in vars(nn).values()
              if inspect.isclass(obj) and issubclass(obj, nn.Module)}
    assert layers == set(SHAPE_RULES) | SIZED_BY_ARGUMENTS, (
        "add the new layer to io/shapes.py: a shape rule if its arguments set the size of "
        "its parameters, else to SIZED_BY_ARGUMENTS")
    assert not set(SHAPE_RULES) & SIZED_BY_ARGUMENTS


@pytest.mark.parametrize("cls", sorted(SIZED_BY_ARGUMENTS, key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_layers_without_a_rule_hold_no_sized_state(cls):
    required = {"std": 0.1} if cls is nn.GaussianNoise else {}
    assert cls(**required).state_dict() == {}
