"""The one MLP builder: every network a run, the text classifier or the lab trains.

An MLP with hidden widths n^[1] … n^[L−1] computes, layer by layer,

    z^[l] = W^[l] a^[l−1] + b^[l],   a^[l] = g^[l](norm(z^[l]))   (then dropout while training)

and ends with a linear layer z^[L] = W^[L] a^[L−1] + b^[L]: one logit per class for a
classifier (the softmax lives in ``CrossEntropyLoss``, so the model has no Softmax
layer), one value for regression. With no hidden layer it is softmax regression
(multi-class logistic regression) or linear regression.

Per-layer settings take one value for every layer or a list: ``activation`` and
``dropout`` one entry per hidden layer, ``init`` one per linear layer (the hidden
layers, then the output layer). The activation ``"maxout"`` makes a hidden layer a
``Maxout`` unit (the max of ``maxout_pieces`` affine maps, with its own
U(±1/√n_in) initialization) instead of Linear + activation.

No pydantic here: ``mlplab.text`` builds its models with this module too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mlplab.checks import ParameterError, spawn

__all__ = ["NORMS", "build_mlp", "check_network_size", "describe_mlp", "mlp_from_config",
           "parameter_count", "per_layer"]

NORMS = ("none", "batch", "layer")
"""``norm``: nothing, ``BatchNorm1d`` or ``LayerNorm`` on each hidden layer's z."""


def per_layer(value: Any, count: int, name: str, what: str = "hidden layer") -> list[Any]:
    """``value`` repeated ``count`` times, or the list itself when it has ``count`` entries."""
    if isinstance(value, list | tuple):
        if len(value) != count:
            raise ParameterError(f"build_mlp: {name} has {len(value)} entries for {count} "
                                 f"{what}s; give one per {what}, or a single value")
        return list(value)
    return [value] * count


def _hidden_block(nn: Any, n_in: int, width: int, activation: str, init: Any, norm: str,
                  pieces: int, seed: Any) -> list[Any]:
    """Linear → [norm] → g, or Maxout → [norm]."""
    if activation == "maxout":
        layers = [nn.Maxout(n_in, width, pieces=pieces, seed=seed)]
    else:
        layers = [nn.Linear(n_in, width, init=init, seed=seed)]
    if norm == "batch":
        layers.append(nn.BatchNorm1d(width))
    elif norm == "layer":
        layers.append(nn.LayerNorm(width))
    if activation != "maxout":
        layers.append(nn.get_activation(activation))
    return layers


def build_mlp(in_features: int, out_features: int, hidden: Sequence[int] = (128,),
              activation: str | Sequence[str] = "relu", init: Any = None,
              dropout: float | Sequence[float] = 0.0, norm: str = "none",
              gaussian_noise: float = 0.0, maxout_pieces: int = 2, seed: Any = None) -> Any:
    """``Sequential([GaussianNoise], Linear, [norm], g, [Dropout], …, Linear)``.

    Args:
        in_features: n^[0], the input width.
        out_features: the number of outputs (classes, or 1 for a regression target).
        hidden: widths of the hidden layers ([] gives softmax or linear regression).
        activation: a name from ``ml.nn.ACTIVATIONS`` or ``"maxout"``, or one per hidden layer.
        init: a name from ``ml.nn.init`` ('he_normal', …), None for PyTorch's default
            U(−1/√n_in, 1/√n_in), or a list with one entry per linear layer.
        dropout: drop probability after each hidden layer (0 adds no layer), or a list.
        norm: 'none', 'batch' (``BatchNorm1d``) or 'layer' (``LayerNorm``) before g.
        gaussian_noise: σ of the noise ``GaussianNoise`` adds to the inputs in training.
        maxout_pieces: affine pieces per ``Maxout`` unit.
        seed: int, Generator or None. Every layer that draws numbers gets its own child
            generator (``mlplab.checks.spawn``), so no two layers share a stream.
    """
    import mlplab.nn as nn

    if norm not in NORMS:
        raise ParameterError(f"build_mlp: norm must be one of {', '.join(NORMS)}, got {norm!r}")
    n_hidden = len(hidden)
    activations = per_layer(activation, n_hidden, "activation")
    check_network_size(in_features, out_features, hidden,
                       [maxout_pieces if a == "maxout" else 1 for a in activations])
    drops = per_layer(dropout, n_hidden, "dropout")
    inits = per_layer(init, n_hidden + 1, "init", "linear layer")
    streams = iter(spawn(seed, 2 * n_hidden + 2))  # a weight layer and a noise layer each
    layers: list[Any] = []
    if gaussian_noise:
        layers.append(nn.GaussianNoise(gaussian_noise, seed=next(streams)))
    widths = [in_features, *hidden]
    for i, width in enumerate(hidden):
        layers += _hidden_block(nn, widths[i], width, activations[i], inits[i], norm,
                                maxout_pieces, next(streams))
        if drops[i]:
            layers.append(nn.Dropout(drops[i], seed=next(streams)))
    layers.append(nn.Linear(widths[-1], out_features, init=inits[-1], seed=next(streams)))
    return nn.Sequential(*layers)


def parameter_count(in_features: int, out_features: int, hidden: Sequence[int],
                    pieces: Sequence[int] | None = None) -> int:
    """Σ_l (n^[l−1] + 1)·n^[l]·k_l: the weights and biases of the linear layers, where a
    maxout hidden layer has k_l = ``pieces[l]`` affine maps (1 otherwise)."""
    widths = [int(in_features), *map(int, hidden), int(out_features)]
    counts = [*(pieces or [1] * len(hidden)), 1]
    return sum((n_in + 1) * n_out * k
               for n_in, n_out, k in zip(widths[:-1], widths[1:], counts, strict=True))


def check_network_size(in_features: int, out_features: int, hidden: Sequence[int],
                       pieces: Sequence[int] | None = None) -> None:
    """Refuse, before allocating it, a network whose training would not fit in memory:
    4 bytes per float32 parameter, times 4 for the weights, their gradients and an
    optimizer's two moment estimates (Adam's v and S)."""
    from mlplab.memory import check_fits

    count = parameter_count(in_features, out_features, hidden, pieces)
    widths = "-".join(str(w) for w in (in_features, *hidden, out_features))
    check_fits(16.0 * count, f"the {widths} network ({count:,} parameters, with gradients "
               "and optimizer state)", "use fewer or narrower hidden layers, e.g. hidden=[128]")


def mlp_from_config(config: Any, in_features: int, out_features: int) -> Any:
    """:func:`build_mlp` with the network settings of a ``TrainConfig``."""
    return build_mlp(in_features, out_features, config.hidden, config.activation, config.init,
                     config.dropout, config.norm, config.gaussian_noise, config.maxout_pieces,
                     seed=config.seed)


def _shown(value: Any) -> str:
    """'relu' or 'relu/tanh' for a per-layer list; numbers with :g."""
    values = value if isinstance(value, list | tuple) else [value]
    return "/".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)


def describe_mlp(config: Any, in_features: int, out_features: int,
                 no_hidden: str = "softmax regression") -> str:
    """A one-line summary such as '64-128-10 MLP, relu, batch norm, dropout 0.2'."""
    widths = "-".join(str(w) for w in (in_features, *config.hidden, out_features))
    parts = [f"{widths} {'MLP' if config.hidden else no_hidden}"]
    if config.hidden:
        parts.append(_shown(config.activation))
        if config.norm != "none":
            parts.append(f"{config.norm} norm")
        if any(per_layer(config.dropout, len(config.hidden), "dropout")):
            parts.append(f"dropout {_shown(config.dropout)}")
    if config.init:
        parts.append(f"{_shown(config.init)} init")
    if config.gaussian_noise:
        parts.append(f"input noise σ={config.gaussian_noise:g}")
    return ", ".join(parts)
