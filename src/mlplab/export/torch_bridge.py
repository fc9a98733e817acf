"""``to_torch`` / ``from_torch``: the same network as a PyTorch module, and back.

Both sides name and lay out their parameters alike (a Linear's ``weight`` is
(out_features, in_features) in both; BatchNorm1d keeps ``running_mean``,
``running_var`` and ``num_batches_tracked``), so a conversion builds the twin layer
from the constructor arguments and copies every parameter and buffer by value: the
two models share no memory, and training one leaves the other as it was.

PyTorch is optional (``pip install mlplab[torch]``) and imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import mlplab.nn as nn
from mlplab.checks import ParameterError
from mlplab.export.errors import ExportError

SHARED_LAYERS = ("Sequential", "Linear", "Identity", "ReLU", "Sigmoid", "Tanh", "LeakyReLU",
                 "PReLU", "RReLU", "ELU", "Softmax", "Dropout", "BatchNorm1d", "LayerNorm")
"""Layer classes both libraries have, under the same name."""


def _import_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError("PyTorch is not installed; install it with: pip install "
                          "'mlplab[torch]'") from None
    return torch


def torch_args(layer: Any) -> dict[str, Any]:
    """Constructor arguments of the PyTorch twin of the mlplab ``layer``."""
    kind = type(layer).__name__
    table: dict[str, Callable[[Any], dict[str, Any]]] = {
        "Linear": lambda m: dict(in_features=m.in_features, out_features=m.out_features,
                                 bias=m.bias is not None),
        "LeakyReLU": lambda m: dict(negative_slope=m.negative_slope),
        "PReLU": lambda m: dict(num_parameters=m.num_parameters, init=m.init),
        "RReLU": lambda m: dict(lower=m.lower, upper=m.upper),
        "ELU": lambda m: dict(alpha=m.alpha),
        "Softmax": lambda m: dict(dim=m.dim),
        "Dropout": lambda m: dict(p=m.p),
        "BatchNorm1d": lambda m: dict(num_features=m.num_features, eps=m.eps,
                                      momentum=m.momentum, affine=m.affine,
                                      track_running_stats=m.track_running_stats),
        "LayerNorm": lambda m: dict(normalized_shape=m.normalized_shape, eps=m.eps,
                                    elementwise_affine=m.elementwise_affine,
                                    bias=m.bias is not None or not m.elementwise_affine),
    }
    return table[kind](layer) if kind in table else {}


def _torch_layer(layer: Any, torch: Any, where: str) -> Any:
    kind = type(layer).__name__
    if type(layer) is nn.Sequential:
        return torch.nn.Sequential(*(_torch_layer(child, torch, f"{where}[{i}]")
                                     for i, child in enumerate(layer)))
    if kind not in SHARED_LAYERS or type(layer) is not getattr(nn, kind):
        raise ExportError(f"to_torch: layer {where} ({kind}) has no PyTorch twin; the layers "
                          f"both libraries have: {', '.join(SHARED_LAYERS)}")
    return getattr(torch.nn, kind)(**torch_args(layer))


def _dtype(module_state: dict[str, np.ndarray]) -> Any:
    floats = [v.dtype for v in module_state.values() if v.dtype.kind == "f"]
    return floats[0] if floats else np.dtype(np.float32)


def to_torch(model: Any) -> Any:
    """A ``torch.nn.Module`` computing what the ``ml.nn`` ``model`` computes.

    ``model`` is a Sequential of the :data:`SHARED_LAYERS` (or one such layer); its
    parameters and buffers are copied (float32 stays float32, float64 becomes double)
    and the training/evaluation mode carried over. Maxout and GaussianNoise have no
    PyTorch layer and raise ``ExportError`` naming the layer.

    >>> import mlplab as ml
    >>> net = ml.export.to_torch(ml.nn.Sequential(ml.nn.Linear(3, 2, seed=0), ml.nn.ReLU()))
    >>> type(net).__name__, type(net[0]).__name__
    ('Sequential', 'Linear')
    """
    torch = _import_torch()
    if not isinstance(model, nn.Module):
        raise ParameterError(f"to_torch: model must be an ml.nn module, got "
                             f"{type(model).__name__}")
    twin = _torch_layer(model, torch, "model")
    state = {k: np.asarray(v) for k, v in model.state_dict().items()}
    dtype = _dtype(state)
    twin.to(dtype=getattr(torch, dtype.name))
    twin.load_state_dict({k: torch.tensor(np.array(v, copy=True)) for k, v in state.items()})
    twin.train(model.training)
    for mine, theirs in zip(model.modules(), twin.modules(), strict=True):
        theirs.training = mine.training
    return twin


def _float_dtype(module: Any) -> str:
    for value in [*module.parameters(recurse=False), *module.buffers(recurse=False)]:
        if value.is_floating_point():
            return str(value.dtype).removeprefix("torch.")
    return "float32"


def _mlplab_args(module: Any, kind: str) -> dict[str, Any]:
    """Constructor arguments of the mlplab twin of the PyTorch ``module``."""
    m, dtype = module, _float_dtype(module)
    table: dict[str, Callable[[], dict[str, Any]]] = {
        "Linear": lambda: dict(in_features=m.in_features, out_features=m.out_features,
                               bias=m.bias is not None, dtype=dtype),
        "LeakyReLU": lambda: dict(negative_slope=m.negative_slope),
        "PReLU": lambda: dict(num_parameters=m.num_parameters, init=float(m.init),
                              dtype=dtype),
        "RReLU": lambda: dict(lower=m.lower, upper=m.upper),
        "ELU": lambda: dict(alpha=m.alpha),
        "Softmax": lambda: dict(dim=m.dim),
        "Dropout": lambda: dict(p=m.p),
        "BatchNorm1d": lambda: dict(num_features=m.num_features, eps=m.eps,
                                    momentum=m.momentum, affine=m.affine,
                                    track_running_stats=m.track_running_stats, dtype=dtype),
        "LayerNorm": lambda: dict(normalized_shape=tuple(m.normalized_shape), eps=m.eps,
                                  elementwise_affine=m.elementwise_affine,
                                  bias=getattr(m, "bias", None) is not None
                                  or not m.elementwise_affine, dtype=dtype),
    }
    return table[kind]() if kind in table else {}


def _mlplab_layer(module: Any, torch: Any, where: str) -> Any:
    kind = type(module).__name__
    if type(module) is torch.nn.Sequential:
        return nn.Sequential(*(_mlplab_layer(child, torch, f"{where}[{i}]")
                               for i, child in enumerate(module)))
    if kind not in SHARED_LAYERS or type(module) is not getattr(torch.nn, kind, None):
        raise ExportError(f"from_torch: layer {where} ({kind}) has no mlplab twin; the layers "
                          f"both libraries have: {', '.join(SHARED_LAYERS)}")
    if kind == "Softmax" and module.dim is None:
        raise ExportError(f"from_torch: layer {where} is Softmax(dim=None); give the axis, "
                          "e.g. torch.nn.Softmax(dim=1)")
    return getattr(nn, kind)(**_mlplab_args(module, kind))


def from_torch(module: Any) -> Any:
    """An ``ml.nn`` module computing what the PyTorch ``module`` computes.

    ``module`` is a ``torch.nn.Sequential`` of the :data:`SHARED_LAYERS` (or one such
    layer, on any device); parameters and buffers are copied to NumPy arrays of the same
    dtype, and the training/evaluation mode is carried over.
    """
    torch = _import_torch()
    if not isinstance(module, torch.nn.Module):
        raise ParameterError(f"from_torch: module must be a torch.nn.Module, got "
                             f"{type(module).__name__}")
    twin = _mlplab_layer(module, torch, "module")
    state = {k: v.detach().cpu().numpy().copy() for k, v in module.state_dict().items()}
    twin.load_state_dict(state)
    for theirs, mine in zip(module.modules(), twin.modules(), strict=True):
        mine.training = theirs.training
    return twin
