"""The parameter and buffer shapes a layer will allocate, computed from its arguments alone.

Loading compares these shapes with the tensors stored in the file *before* it builds
any layer, so a 2 KB file that describes ``Linear(10_000_000, 10_000_000)`` is
refused instead of allocating 364 TiB. Each rule mirrors its layer's constructor:

    Linear(n_in, n_out, bias)        weight (n_out, n_in), bias (n_out,)
    Maxout(n_in, n_out, k, bias)     weight (k·n_out, n_in), bias (k·n_out,)
    PReLU(C)                         weight (C,)
    BatchNorm1d(C, affine, track)    weight, bias, running_mean, running_var (C,);
                                     num_batches_tracked ()
    LayerNorm(shape, affine, bias)   weight, bias: shape

Every other ``mlplab.nn`` layer allocates nothing whose size an argument sets beyond
the argument itself (a loss's class ``weight`` list), listed in ``SIZED_BY_ARGUMENTS``;
a test keeps the two lists complete. A registered custom class may define
``state_shapes(**arguments) -> {name: shape}`` to be checked the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mlplab.nn as nn
from mlplab.checks import POSITIVE_INT, check

Shapes = dict[str, tuple[int, ...]]


def _size(owner: str, name: str, value: Any) -> int:
    return int(check(owner, name, value, POSITIVE_INT))


def _linear(in_features: Any, out_features: Any, bias: Any = True, **_: Any) -> Shapes:
    n_in, n_out = _size("Linear", "in_features", in_features), _size(
        "Linear", "out_features", out_features)
    return {"weight": (n_out, n_in), **({"bias": (n_out,)} if bias else {})}


def _maxout(in_features: Any, out_features: Any, pieces: Any, bias: Any = True,
            **_: Any) -> Shapes:
    rows = _size("Maxout", "out_features", out_features) * _size("Maxout", "pieces", pieces)
    weight = (rows, _size("Maxout", "in_features", in_features))
    return {"weight": weight, **({"bias": (rows,)} if bias else {})}


def _prelu(num_parameters: Any = 1, **_: Any) -> Shapes:
    return {"weight": (_size("PReLU", "num_parameters", num_parameters),)}


def _batch_norm(num_features: Any, affine: Any = True, track_running_stats: Any = True,
                **_: Any) -> Shapes:
    c = (_size("BatchNorm1d", "num_features", num_features),)
    shapes: Shapes = {"weight": c, "bias": c} if bool(affine) else {}
    if bool(track_running_stats):
        shapes.update(running_mean=c, running_var=c, num_batches_tracked=())
    return shapes


def _layer_norm(normalized_shape: Any, elementwise_affine: Any = True, bias: Any = True,
                **_: Any) -> Shapes:
    dims = [normalized_shape] if isinstance(normalized_shape, int) else normalized_shape
    if not isinstance(dims, list | tuple) or not 1 <= len(dims) <= 32:
        check("LayerNorm", "normalized_shape", normalized_shape, POSITIVE_INT)
    shape = tuple(_size("LayerNorm", "normalized_shape", n) for n in dims)
    if not bool(elementwise_affine):
        return {}
    return {"weight": shape, **({"bias": shape} if bias else {})}


SHAPE_RULES: dict[type, Callable[..., Shapes]] = {
    nn.Linear: _linear, nn.Maxout: _maxout, nn.PReLU: _prelu, nn.BatchNorm1d: _batch_norm,
    nn.LayerNorm: _layer_norm,
}
"""Built-in layers whose arguments set the size of their parameters."""

SIZED_BY_ARGUMENTS = frozenset({
    nn.Identity, nn.Sigmoid, nn.Tanh, nn.ReLU, nn.LeakyReLU, nn.RReLU, nn.ELU, nn.Softmax,
    nn.Dropout, nn.GaussianNoise, nn.Module, nn.StochasticModule, nn.Sequential,
    nn.ModuleList, nn.L1Loss, nn.MSELoss, nn.HuberLoss, nn.HingeLoss, nn.MultiMarginLoss,
    nn.BCELoss, nn.BCEWithLogitsLoss, nn.CrossEntropyLoss, nn.NLLLoss,
})
"""Built-in layers that allocate no more than their (file-held) arguments take."""


def shape_rule(cls: type) -> Callable[..., Shapes] | None:
    """How ``cls``'s state shapes follow from its arguments, if anyone said so."""
    if cls in SHAPE_RULES:
        return SHAPE_RULES[cls]
    return getattr(cls, "state_shapes", None)
