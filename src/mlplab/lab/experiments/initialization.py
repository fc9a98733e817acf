"""Claim 7: weight initialization decides whether a deep network's signal survives.

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
from mlplab.lab.claim import Claim, Outcome
from mlplab.lab.context import Context
from mlplab.lab.findings import Findings
from mlplab.lab.verdicts import all_hold, at_least, at_most
from mlplab.train.callbacks.activation_stats import layer_statistics

SCHEMES: dict[str, tuple[str, dict[str, Any]]] = {
    "zeros": ("zeros", {}),
    "small_normal": ("normal", {"std": 0.01}),
    "medium_normal": ("normal", {"std": 0.1}),
    "large_normal": ("normal", {"std": 1.0}),
    "xavier": ("xavier_normal", {}),
    "he": ("he_normal", {}),
}
"""Initialization schemes of the experiment: name → (ml.nn.init name, its arguments)."""

CLAIM = Claim(
    name="initializations", number=7, group="initialization",
    claim="All-zero weights keep the units of a layer identical; N(0, 0.01²) makes a deep "
          "tanh net's signal vanish and N(0, 1) saturates it; Xavier (tanh) and He (ReLU) "
          "keep it alive through the layers.",
    term="权重初始化 (weight initialization; Xavier / He)",
    concept="Initialization",
    expected="8 layers of 256 units, inputs N(0, 1), one forward/backward pass: zeros give "
             "activation std exactly 0 in every layer (every unit equal); with tanh, "
             "N(0, 0.01²) shrinks the std from layer 1 to layer 8 by >= 100x and N(0, 1) "
             "leaves >= 50 % of layer 8's units saturated (|a| >= 0.99); Xavier with tanh "
             "keeps std(layer 8) / std(layer 1) >= 0.25 with < 5 % saturated; He with ReLU "
             "keeps that ratio in [0.5, 2] while Xavier with ReLU falls below it.",
    formula="Var(z) ≈ n_in σ² Var(a);  Xavier σ² = 2 / (n_in + n_out);  He σ² = 2 / n_in",
    quick_s=4.0, full_s=15.0,
    paper="Glorot & Bengio 2010, Figure 6 (per-layer activation histograms); "
          "He et al. 2015 (ReLU initialization)")

RUNS = (("tanh", "zeros"), ("tanh", "small_normal"), ("tanh", "medium_normal"),
        ("tanh", "large_normal"), ("tanh", "xavier"), ("sigmoid", "small_normal"),
        ("sigmoid", "medium_normal"), ("sigmoid", "large_normal"), ("relu", "xavier"),
        ("relu", "he"))
"""(activation, scheme) pairs the experiment compares."""


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


def _layer_values(records: list[dict[str, Any]], key: str) -> list[float]:
    return [float(r[key]) for r in records if r["kind"] == "activation"]


def run(lab: Context) -> Outcome:
    seed = int(lab.rng(0).integers(1 << 30))
    n = 256 if lab.quick else 2048
    records = {(act, scheme): activation_records(scheme, act, n=n, seed=seed)
               for act, scheme in RUNS}
    std = {f"{act} {scheme}": _layer_values(recs, "std")
           for (act, scheme), recs in records.items()}
    saturated = {k: _layer_values(records[("tanh", k)], "saturated_fraction")[-1]
                 for k in ("large_normal", "xavier")}
    ratio = {k: v[-1] / v[0] if v[0] else 0.0 for k, v in std.items()}
    verdict = all_hold([
        at_most(max(std["tanh zeros"]), 0.0),
        at_most(ratio["tanh small_normal"], 0.01),
        at_least(saturated["large_normal"], 0.5),
        at_least(ratio["tanh xavier"], 0.25), at_most(saturated["xavier"], 0.05),
        at_least(ratio["relu he"], 0.5), at_most(ratio["relu he"], 2.0),
        at_most(ratio["relu xavier"], 0.5)])
    if lab.drawing:
        _draw_std(lab, std)
        _draw_histograms(lab, records)
    rows = tuple((k, *(f"{s:.2g}" for s in v)) for k, v in std.items())
    return Outcome(
        verdict=verdict,
        reason=f"tanh: std ratio layer 8 / layer 1 is {ratio['tanh small_normal']:.1e} with "
               f"N(0, 0.01²), {ratio['tanh xavier']:.2f} with Xavier; N(0, 1) saturates "
               f"{saturated['large_normal']:.0%} of layer 8; ReLU: He keeps "
               f"{ratio['relu he']:.2f}, Xavier {ratio['relu xavier']:.2f}",
        measured={"std_ratio_last_first": ratio, "saturated_last_layer_tanh": saturated,
                  "max_std_zeros": max(std["tanh zeros"])},
        table=Findings(title="std of each layer's activations (X ~ N(0, 1))",
                       columns=("activation, init", *(f"L{i + 1}" for i in range(8))),
                       rows=rows),
        config={"depth": 8, "width": 256, "inputs": n, "seed": seed})


def _draw_std(lab: Context, std: dict[str, list[float]]) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4))
    for i, (name, values) in enumerate(std.items()):
        if max(values) > 0:
            ax.plot(range(1, len(values) + 1), values, marker="o", ms=3, label=name,
                    ls="-" if name.startswith(("tanh", "relu")) else "--", color=f"C{i}")
    ax.set(yscale="log", xlabel="layer", ylabel="std of activations",
           title="Does the signal survive 8 layers? (zeros: std 0, not drawn)")
    ax.legend(fontsize=7, ncol=2)
    lab.save(fig, "std_per_layer")


def _draw_histograms(lab: Context, records: dict[tuple[str, str], list]) -> None:
    import matplotlib.pyplot as plt

    shown = (("tanh", "small_normal"), ("tanh", "large_normal"), ("tanh", "xavier"),
             ("relu", "he"))
    fig, axes = plt.subplots(1, len(shown), figsize=(13, 3.2))
    for ax, key in zip(axes, shown, strict=True):
        layers = [r for r in records[key] if r["kind"] == "activation"]
        for i, rec in enumerate(layers):
            counts = np.asarray(rec["hist_counts"], float)
            ax.stairs(counts / counts.sum(), rec["hist_edges"], color=plt.cm.viridis(i / 7),
                      label=f"L{i + 1}" if key == shown[0] else None)
        ax.set(title=f"{key[0]}, {key[1].replace('_', ' ')}", xlabel="activation value",
               ylabel="fraction of units" if key == shown[0] else None)
    axes[0].legend(fontsize=7)
    fig.suptitle("Per-layer activation histograms (Glorot & Bengio's Figure 6 view)", y=1.03)
    lab.save(fig, "histograms")
