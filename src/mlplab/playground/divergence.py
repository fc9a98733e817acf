"""Where a diverged step went wrong: the neurons and links whose numbers blew up.

A step whose loss is NaN or ±inf is skipped, so the weights are still the ones that
produced it. On that same mini-batch, one autograd forward and backward pass (eval mode,
so no dropout or noise draw is spent) gives each weight layer's output z^[l] (for Maxout,
the max over its pieces) and ∂J/∂W^[l], ∂J/∂b^[l]. A value *blew up* when it is NaN, ±inf
or |v| > ``EXPLODED``. Marked:

* neuron j of layer l (the page's ``L{l}N{j}``, or ``out{j}`` for the output): z_j blew up
  on some example of the batch, or b_j or ∂J/∂b_j did;
* link i → j of layer l (``[l, j, i]``, as ``network.weights[l][j][i]``): w_ji or
  ∂J/∂w_ji blew up (any piece, for Maxout).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import mlplab.nn as nn
from mlplab.autograd.tensor import Tensor
from mlplab.playground import model_builder as mb

EXPLODED = 1e6
"""|value| above which a number counts as exploded: a healthy playground net stays far below."""


def blown(values: Any) -> np.ndarray:
    """True where a value is NaN, ±inf or larger than EXPLODED in magnitude."""
    v = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return ~(np.abs(v) <= EXPLODED)  # NaN compares False, so it counts as blown


def per_unit(module: Any, values: np.ndarray) -> np.ndarray:
    """Rows of W (or b) grouped by unit: (units, pieces, …) for Maxout, (units, 1, …) else."""
    pieces = module.pieces if isinstance(module, nn.Maxout) else 1
    return values.reshape(values.shape[0] // pieces, pieces, *values.shape[1:])


def affected(run: Any, x: np.ndarray, t: np.ndarray) -> dict[str, Any]:
    """``{"neurons": [ids], "links": [[l, j, i], …]}`` for the batch (x, t) that diverged."""
    model, layers = run.model, mb.weight_layers(run.model)
    run.eval_mode()
    run.optimizer.zero_grad()
    outputs = []
    with np.errstate(all="ignore"):
        a = Tensor(x)
        for module in model:
            a = module(a)
            if isinstance(module, (nn.Linear, nn.Maxout)):
                outputs.append(a.data)
        run.loss_fn(a, Tensor(t)).backward()  # even a NaN/inf loss has finite parts to read
    neurons, links = [], []
    last = len(layers) - 1
    for layer, (module, z) in enumerate(zip(layers, outputs, strict=True)):
        w, b = module.weight, module.bias
        zero = np.zeros_like(w.data)
        bad_w = blown(per_unit(module, w.data)) | blown(per_unit(
            module, w.grad if w.grad is not None else zero))
        bad_b = blown(per_unit(module, b.data)) | blown(per_unit(
            module, b.grad if b.grad is not None else np.zeros_like(b.data)))
        bad_unit = blown(z).any(axis=0) | bad_b.any(axis=1)
        for j in np.flatnonzero(bad_unit):
            neurons.append(f"out{j}" if layer == last else f"L{layer}N{j}")
        for j, i in zip(*np.nonzero(bad_w.any(axis=1)), strict=True):
            links.append([layer, int(j), int(i)])
    run.optimizer.zero_grad()  # leave no gradient of the skipped step behind
    return {"neurons": neurons, "links": links}
