"""The state the page draws: heatmap, thumbnails, network, histograms, metrics.

The 100 × 100 grid over [−6, 6]² (row 0 at y = 6, column 0 at x = −6, as TF
Playground) goes through the network in ONE batched forward pass in eval mode,
recording every hidden layer's output a^[l] = g(z^[l]) on the way:

* ``heat.values``: the output as v ∈ [−1, 1] quantized to a byte, round((v + 1)/2·255):
  v = o for a tanh or linear output (clipped), v = 2p − 1 for a sigmoid, and for
  softmax with K > 2 classes v = 2·max p − 1 (so the byte is 255·confidence) with the
  winning class in ``heat.argmax``. NaN becomes 0 (grey, byte 128).
* ``thumbs``: each input feature (scaled by its largest |value| on the grid) and each
  hidden neuron's a, averaged over 10 × 10 blocks, then clipped to [−1, 1] → 10 × 10
  bytes.
* ``hist``: each hidden layer's activations on the training set (20 bins), with the
  fraction of saturated values (tanh |a| ≥ 0.99, sigmoid a ≤ 0.01 or ≥ 0.99) and of
  dead units (ReLU: a ≤ 0 for every training point).
* ``grad_hist``: each weight layer's ∂J/∂W^[l] (hidden "L0", "L1", …, then "out") from
  the last training mini-batch B, J = loss over B: the ``.grad`` the optimizer just used
  (after clipping), so drawing it costs no extra pass. 20 bins over [−m, m], m = max|g|,
  plus mean|g|. Empty before the first step and after a reset.
* ``diverged``: after a NaN/inf loss, the neurons and links that blew up
  (:mod:`.divergence`); None otherwise.
* ``mode``: the mode the model was in for all of the above ("eval"), and ``train_only``:
  the layers that act differently while training (dropout, noise, BatchNorm's batch
  statistics, RReLU's random slopes), so the page can say what the picture leaves out.
"""

from __future__ import annotations

import base64
import math
import time
from typing import Any

import numpy as np

import mlplab.nn as nn
from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.playground import model_builder as mb
from mlplab.playground.datasets import DOMAIN
from mlplab.playground.metrics import confusion, predicted_class
from mlplab.playground.run_state import PlaygroundRun
from mlplab.train import inference_plan
from mlplab.train.callbacks.activation_stats import layer_statistics

GRID = 100
THUMB = 10
_ACTIVATION_TYPES = (nn.ReLU, nn.Tanh, nn.Sigmoid, nn.Identity, nn.LeakyReLU, nn.PReLU,
                     nn.RReLU, nn.ELU, nn.Maxout)
_GRID_CACHE: dict[int, np.ndarray] = {}


def grid_points(size: int = GRID) -> np.ndarray:
    """(size², 2) points: row-major, row 0 at y = +6, column 0 at x = −6."""
    if size not in _GRID_CACHE:
        axis = np.linspace(-DOMAIN, DOMAIN, size)
        xs, ys = np.meshgrid(axis, axis[::-1])
        _GRID_CACHE[size] = np.column_stack([xs.ravel(), ys.ravel()])
    return _GRID_CACHE[size]


def to_bytes(values: np.ndarray) -> np.ndarray:
    """v ∈ [−1, 1] → round((v + 1)/2 · 255); NaN → 128."""
    v = np.nan_to_num(np.clip(values, -1.0, 1.0), nan=0.0)
    return np.round((v + 1.0) * 127.5).astype(np.uint8)


def b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.uint8).tobytes()).decode()


def block_average(field: np.ndarray, size: int = GRID, block: int = THUMB) -> np.ndarray:
    n = size // block
    return field.reshape(n, block, n, block).mean(axis=(1, 3))


def hidden_ends(run: PlaygroundRun) -> list[int]:
    """Index in the Sequential of the module that outputs each hidden layer's a^[l]."""
    ends = [i for i, m in enumerate(run.model) if isinstance(m, _ACTIVATION_TYPES)]
    return ends[: len(run.config.network_shape)]


def forward_layers(run: PlaygroundRun, x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """(hidden activations per layer, output) for feature rows ``x``, in eval mode."""
    ends = hidden_ends(run)
    run.eval_mode()
    plan = inference_plan.plan_for(run.model)
    if plan is not None and plan.takes(x):  # the same numbers without Tensor wrapping
        outputs = plan.layer_outputs(x)
        return [np.asarray(outputs[i]) for i in ends], np.asarray(outputs[-1], np.float64)
    hidden = []
    with no_grad():
        a = Tensor(x)
        for i, module in enumerate(run.model):
            a = module(a)
            if i in ends:
                hidden.append(np.asarray(a.data))
    return hidden, np.asarray(a.data, dtype=np.float64)


def output_field(run: PlaygroundRun, out: np.ndarray) -> dict[str, Any]:
    """``heat``'s values (and argmax for K > 2) from the grid output."""
    k = run.config.n_classes()
    _, unit = mb.output_units(run.config)
    heat: dict[str, Any] = {"encoding": "uint8-b64", "size": GRID,
                            "domain": [-DOMAIN, DOMAIN], "classes": k}
    if unit == "softmax":
        shifted = np.exp(out - np.nanmax(out, axis=1, keepdims=True))
        p = shifted / shifted.sum(axis=1, keepdims=True)
        if k > 2:
            heat["argmax"] = b64(np.nan_to_num(np.argmax(p, axis=1)))
            v = 2 * np.max(p, axis=1) - 1
        else:
            v = p[:, 1] - p[:, 0]
    elif unit == "sigmoid":
        v = 2 * out[:, 0] - 1
    else:
        v = out[:, 0]
    heat["values"] = b64(to_bytes(v))
    heat["quantity"], heat["scale"] = legend_scale(run.config, unit)
    return heat


def legend_scale(config: Any, unit: str) -> tuple[str, list[float]]:
    """What the heatmap's bytes measure, and its values at byte 0 and byte 255."""
    if config.problem == "regression":
        return "predicted target ŷ", [-1.0, 1.0]  # targets lie in [−1, 1]; ŷ is clipped
    if unit == "softmax" and config.n_classes() > 2:
        return "confidence max p", [0.0, 1.0]
    if unit in ("softmax", "sigmoid"):
        return "p(class 1)", [0.0, 1.0]
    return "output (class 0 at −1, class 1 at +1)", [-1.0, 1.0]  # tanh, hinge's score


def thumbnails(run: PlaygroundRun, grid_x: np.ndarray, hidden: list[np.ndarray]
               ) -> dict[str, str]:
    """10 × 10 block means of every input feature and hidden neuron (one pass per layer)."""
    n = GRID // THUMB
    thumbs = {}

    def blocks(fields: np.ndarray) -> np.ndarray:  # (GRID², U) → (U, n·n) bytes
        # two sums over contiguous axes: several times faster than mean(axis=(1, 3))
        sums = fields.reshape(n, THUMB, n, THUMB, -1).sum(axis=1).sum(axis=2)
        return to_bytes(sums.reshape(n * n, -1).T / (THUMB * THUMB))

    scale = np.max(np.abs(grid_x), axis=0)
    inputs = blocks(grid_x / np.where(scale > 0, scale, 1.0))
    for j, name in enumerate(run.config.features()):
        thumbs[mb.NODE_IDS[name]] = b64(inputs[j])
    for layer, values in enumerate(hidden):
        fields = blocks(values)  # TF: block means of a, clipped to [−1, 1] when drawn
        for unit, row in enumerate(fields):
            thumbs[f"L{layer}N{unit}"] = b64(row)
    return thumbs


def histograms(run: PlaygroundRun) -> dict[str, Any]:
    if len(run.train_x) == 0:
        return {}
    hidden, _ = forward_layers(run, run.train_x)
    out = {}
    for layer, (values, end) in enumerate(zip(hidden, hidden_ends(run), strict=True)):
        kind = type(run.model[end]).__name__
        fixed = {"Tanh": (-1.0, 1.0), "Sigmoid": (0.0, 1.0)}.get(kind)
        stats = layer_statistics(values.astype(np.float64), kind, 20, fixed)
        out[f"L{layer}"] = {"edges": stats["hist_edges"], "counts": stats["hist_counts"],
                            "saturated": stats["saturated_fraction"] or 0.0,
                            "dead": stats["dead_fraction"] or 0.0}
    return out


def gradient_histograms(run: PlaygroundRun, bins: int = 20) -> dict[str, Any]:
    """Histograms of ∂J/∂W^[l] left in ``.grad`` by the last mini-batch step."""
    layers = mb.weight_layers(run.model)
    out = {}
    for i, module in enumerate(layers):
        grad = module.weight.grad
        if grad is None:
            continue
        g = np.asarray(grad, np.float64).ravel()
        g = g[np.isfinite(g)]
        size = np.abs(g)
        m = float(size.max()) if g.size else 0.0
        m = m if m > 0 else 1.0
        # equal bins over [−m, m]: np.histogram's own arithmetic, without its overhead
        index = np.minimum(((g + m) * (bins / (2 * m))).astype(np.intp), bins - 1)
        name = "out" if i == len(layers) - 1 else f"L{i}"
        out[name] = {"edges": np.linspace(-m, m, bins + 1).tolist(),
                     "counts": np.bincount(index, minlength=bins).tolist(),
                     "abs_mean": float(size.mean()) if g.size else 0.0}
    return out


def finite(value: Any) -> Any:
    """Nested lists with NaN/inf as None (JSON has no NaN)."""
    if isinstance(value, list):
        return [finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def finite_array(values: np.ndarray) -> list:
    """``values`` as nested lists of floats, NaN/inf as None; one vectorized check first,
    since the weights are finite in all but a diverged run."""
    values = values.astype(np.float64)
    return values.tolist() if np.isfinite(values).all() else finite(values.tolist())


def network(run: PlaygroundRun) -> dict[str, Any]:
    acts = mb.layer_activations(run.config)
    layers = [{"units": u, "activation": a, "kind": "hidden"}
              for u, a in zip(run.config.network_shape, acts, strict=True)]
    out_units, out_act = mb.output_units(run.config)
    layers.append({"units": out_units, "activation": out_act, "kind": "output"})
    weights, biases = [], []
    for module in mb.weight_layers(run.model):
        step = module.pieces if isinstance(module, nn.Maxout) else 1
        weights.append(finite_array(module.weight.data[::step]))
        biases.append(finite_array(module.bias.data[::step]))
    return {"inputs": [mb.NODE_IDS[n] for n in run.config.features()], "layers": layers,
            "weights": weights, "biases": biases}


def test_confusion(run: PlaygroundRun) -> dict[str, Any]:
    config, data = run.config, run.data
    if config.problem == "regression":
        return {}
    x, y = (run.test_x, data.test_y) if len(data.test_y) else (run.train_x, data.train_y)
    if len(y) == 0:
        return {}
    _, out = forward_layers(run, x)
    return {"confusion": confusion(y, predicted_class(config, out), config.n_classes())}


def train_only(model: nn.Sequential) -> list[str]:
    """The layers that act differently in training than in eval, named by hidden layer
    (0-based): ["L0 dropout p=0.2", "L1 BatchNorm1d", …]."""
    describe = {nn.Dropout: lambda m: f"dropout p={m.p:g}",
                nn.GaussianNoise: lambda m: f"noise σ={m.std:g}",
                nn.BatchNorm1d: lambda m: "BatchNorm1d", nn.RReLU: lambda m: "RReLU"}
    out, layer = [], -1
    for module in model:
        if isinstance(module, (nn.Linear, nn.Maxout)):
            layer += 1
        elif type(module) in describe:
            out.append(f"L{layer} {describe[type(module)](module)}")
    return out


def build_snapshot(run: PlaygroundRun) -> dict[str, Any]:
    """Everything but ``scalars``, ``data`` and the session's counters."""
    grid_x = mb.feature_matrix(grid_points(), run.config.features(), run.scaling)
    hidden, out = forward_layers(run, grid_x)
    snapshot = {"network": network(run), "heat": output_field(run, out),
                "thumbs": thumbnails(run, grid_x, hidden), "hist": histograms(run),
                "grad_hist": gradient_histograms(run), "metrics": test_confusion(run),
                "diverged": run.diverged}
    # every forward above ran in eval mode; report the mode the model is really in
    return {**snapshot, "mode": "train" if run.training else "eval",
            "train_only": train_only(run.model)}


def snapshot_timing(run: PlaygroundRun, repeats: int = 20) -> dict[str, float]:
    """Mean milliseconds of one epoch and of one snapshot (for benchmarks/playground.py)."""
    start = time.perf_counter()
    for _ in range(repeats):
        run.train_epoch()
    epoch_ms = (time.perf_counter() - start) / repeats * 1e3
    start = time.perf_counter()
    for _ in range(repeats):
        build_snapshot(run)
    return {"epoch_ms": epoch_ms, "snapshot_ms": (time.perf_counter() - start) / repeats * 1e3}
