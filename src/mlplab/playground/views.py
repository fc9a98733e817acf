"""Server data for two views: the neuron inspector and the representation view.

Inspector (``GET /api/inspect?x=&y=``): for one point of the plane, every layer's
pre-activation z^[l] = W^[l] a^[l−1] + b^[l] and activation a^[l] = g(z^[l]), with the
input features a^[0]. The page shows z = Σᵢ wᵢaᵢ + b and a = g(z) for a chosen neuron.

Representation (``GET /api/representation?layer=&i=&j=``): the input plane as seen by
hidden layer ``layer``: the lines of a 13 × 13 grid over [−6, 6]² (each sampled at 61
points) and the training points, pushed through the network up to that layer's
activation, and drawn in the plane of its neurons i and j.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import mlplab.nn as nn
from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.checks import ParameterError
from mlplab.playground import model_builder as mb
from mlplab.playground.run_state import PlaygroundRun
from mlplab.playground.snapshot import finite, forward_layers, hidden_ends


def inspect_point(run: PlaygroundRun, x: float, y: float) -> dict[str, Any]:
    """a^[0] and, per weight layer, z and a at the point (x, y)."""
    for name, value in (("x", x), ("y", y)):
        if not np.isfinite(value) or abs(value) > 1e6:
            raise ParameterError(f"inspect: {name} must be a finite number, got {value}; "
                                 "e.g. x=1.5")
    features = mb.feature_matrix(np.array([[x, y]]), run.config.features(), run.scaling)
    layers = []
    run.eval_mode()
    with no_grad():
        a = Tensor(features)
        z = None
        for module in run.model:
            a = module(a)
            if isinstance(module, (nn.Linear, nn.Maxout)):
                z = a.data[0].astype(np.float64).tolist()
                layers.append({"z": finite(z), "a": finite(z)})
            elif layers:
                layers[-1]["a"] = finite(a.data[0].astype(np.float64).tolist())
    _, unit = mb.output_units(run.config)
    if unit == "softmax":
        z_out = np.array(layers[-1]["z"], dtype=np.float64)
        p = np.exp(z_out - z_out.max())
        layers[-1]["a"] = finite((p / p.sum()).tolist())
    return {"x": x, "y": y, "inputs": [mb.NODE_IDS[n] for n in run.config.features()],
            "features": finite(features[0].astype(np.float64).tolist()), "layers": layers,
            "activations": mb.layer_activations(run.config) + [unit]}


def representation(run: PlaygroundRun, layer: int, i: int, j: int,
                   lines: int = 13, samples: int = 61) -> dict[str, Any]:
    """Grid lines and training points in the plane of neurons (i, j) of hidden ``layer``."""
    shape = run.config.network_shape
    if not 0 <= layer < len(shape):
        raise ParameterError(f"representation: layer must be a hidden layer 0 to "
                             f"{len(shape) - 1}, got {layer}; e.g. layer=0")
    for name, unit in (("i", i), ("j", j)):
        if not 0 <= unit < shape[layer]:
            raise ParameterError(f"representation: {name} must be a neuron 0 to "
                                 f"{shape[layer] - 1} of layer {layer}, got {unit}; "
                                 f"e.g. {name}=0")
    ticks, along = np.linspace(-6, 6, lines), np.linspace(-6, 6, samples)
    horizontal = [np.column_stack([along, np.full(samples, t)]) for t in ticks]
    vertical = [np.column_stack([np.full(samples, t), along]) for t in ticks]
    points = np.vstack(horizontal + vertical + [run.data.train_x])
    features = mb.feature_matrix(points, run.config.features(), run.scaling)
    hidden, _ = forward_layers(run, features)
    chosen = hidden[layer][:, [i, j]].astype(np.float64)
    n_lines = 2 * lines
    grid = chosen[: n_lines * samples].reshape(n_lines, samples, 2)
    data = chosen[n_lines * samples:]
    labels = run.data.train_y
    return {"layer": layer, "i": i, "j": j, "activation": type(run.model[hidden_ends(run)[
        layer]]).__name__, "lines": finite(np.round(grid, 5).tolist()),
        "points": [[*finite(np.round(p, 5).tolist()), float(t) if run.config.problem ==
                    "regression" else int(t)] for p, t in zip(data, labels, strict=True)]}
