"""Watch weight initialization decide whether a deep network's signal survives.

A forward pass through L layers multiplies the signal by L weight matrices. With
W ~ N(0, σ²) and n inputs per unit, Var(z) ≈ n σ² Var(a): if n σ² < 1 the
activations shrink towards 0 layer after layer (and so do the gradients); if
n σ² ≫ 1, tanh and sigmoid units saturate at their flat ends. Xavier's
σ² = 2/(n_in + n_out) keeps the variance of tanh layers steady; He's σ² = 2/n_in
does the same for ReLU, which zeroes half of its inputs. All-zero weights make
every unit of a layer compute the same thing (the symmetry problem).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import mlplab.nn as nn
import mlplab.viz as viz
from mlplab.autograd import tensor
from mlplab.checks import OneOf, check
from mlplab.lab.findings import Findings
from mlplab.train.callbacks.activation_stats import layer_statistics

SCHEMES: dict[str, tuple[str, dict[str, Any]]] = {
    "zeros": ("zeros", {}),
    "small_normal": ("normal", {"std": 0.01}),
    "large_normal": ("normal", {"std": 1.0}),
    "xavier": ("xavier_normal", {}),
    "he": ("he_normal", {}),
}
"""Initialization schemes of the experiment: name → (ml.nn.init name, its arguments)."""


def deep_network(scheme: str, activation: str = "tanh", depth: int = 8, width: int = 256,
                 seed: int = 0) -> nn.Sequential:
    """A ``depth``-layer MLP of ``width`` units whose weights follow ``scheme`` (biases 0)."""
    check("deep_network", "scheme", scheme, OneOf(tuple(SCHEMES), example="'xavier'"))
    init_name, kwargs = SCHEMES[scheme]
    initializer = nn.get_initializer(init_name)
    layers = []
    # independent streams: layer seeds must not reproduce the input's random numbers
    for stream in np.random.SeedSequence([seed, 1]).spawn(depth):
        linear = nn.Linear(width, width, seed=np.random.default_rng(stream))
        initializer(linear.weight, seed=np.random.default_rng(stream), **kwargs)
        nn.init.zeros_(linear.bias)
        layers += [linear, nn.get_activation(activation)]
    return nn.Sequential(*layers)


def activation_records(scheme: str, activation: str = "tanh", depth: int = 8,
                       width: int = 256, n: int = 512, bins: int = 40,
                       seed: int = 0) -> list[dict[str, Any]]:
    """Per-layer activation and gradient statistics of one forward/backward pass.

    Input X ~ N(0, 1) of shape (n, width); the loss is the mean of a random linear
    read-out of the last layer, so every layer receives a gradient. Returns records
    in the ``ActivationStats`` format, ready for ``ml.viz.plot_activation_histograms``.
    """
    rng = np.random.default_rng([seed, 0])
    model = deep_network(scheme, activation, depth, width, seed)
    h = tensor(rng.normal(size=(n, width)).astype(np.float32))
    outputs = []
    for index, layer in enumerate(model):
        h = layer(h)
        if index % 2 == 1:  # after each activation
            h.retain_grad()
            outputs.append((f"layer {index // 2 + 1}", type(layer).__name__, h))
    readout = tensor(rng.normal(size=(width,)).astype(np.float32))
    (h * readout).mean().backward()
    # one x range for every layer's activations, so shrinking or saturation shows at a glance
    top = max(float(np.abs(t.data).max()) for _, _, t in outputs) or 1.0
    act_range = (-1.0, 1.0) if activation in ("tanh", "sigmoid") else (-top, top)
    records = []
    for name, kind, values in outputs:
        for what, array, layer_type, value_range in (
                ("activation", values.data, kind, act_range), ("gradient", values.grad, "", None)):
            records.append({"step": 0, "epoch": 0, "layer": name, "kind": what,
                            **layer_statistics(np.asarray(array), layer_type, bins,
                                               value_range)})
    return records


def histogram_paths(out_dir: Any, schemes: Sequence[str]) -> list[Path]:
    """Where ``compare_initializations`` draws: ``init_<scheme>_activations.png`` and
    ``init_<scheme>_gradients.png`` for each scheme."""
    return [Path(out_dir) / f"init_{scheme}_{kind}s.png"
            for scheme in schemes for kind in ("activation", "gradient")]


def compare_initializations(schemes: Sequence[str] = tuple(SCHEMES), activation: str = "tanh",
                            depth: int = 8, width: int = 256, out_dir: Any = None,
                            seed: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Run ``activation_records`` for each scheme; with ``out_dir`` also draw the histograms
    (see :func:`histogram_paths`)."""
    results = {s: activation_records(s, activation, depth, width, seed=seed) for s in schemes}
    if out_dir is not None:
        for scheme, records in results.items():
            for kind in ("activation", "gradient"):
                viz.plot_activation_histograms(
                    records, Path(out_dir) / f"init_{scheme}_{kind}s.png", kind=kind,
                    sharex=kind == "activation",
                    title=f"{scheme} init, {activation}: {kind}s per layer")
    return results


def initialization_findings(out_dir: Any = None, seed: int = 0,
                            activation: str = "tanh") -> Findings:
    """The lab's ``initializations`` experiment: std of each layer's activations per scheme."""
    runs = compare_initializations(activation=activation, out_dir=out_dir, seed=seed)
    rows = []
    for scheme, records in runs.items():
        stds = [r["std"] for r in records if r["kind"] == "activation"]
        rows.append((scheme, *(f"{s:.2g}" for s in stds)))
    depth = len(rows[0]) - 1
    figures = () if out_dir is None else tuple(histogram_paths(out_dir, runs))
    return Findings(title=f"std of each layer's {activation} activations (X ~ N(0, 1))",
                    columns=("init", *(f"L{layer}" for layer in range(1, depth + 1))),
                    rows=tuple(rows), figures=figures)
