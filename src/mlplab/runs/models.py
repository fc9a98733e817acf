"""Build the network a ``TrainConfig`` describes, by name, from the ``ml.nn`` registries.

An MLP with hidden widths n^[1] … n^[L−1] computes, layer by layer,

    z^[l] = W^[l] a^[l−1] + b^[l],   a^[l] = g(z^[l])   (then dropout while training)

and ends with a linear layer giving one logit per class; the softmax lives in the
loss (``CrossEntropyLoss``), which is why the model has no Softmax layer.
With no hidden layers it is softmax regression (the notes' multi-class logistic
regression).
"""

from __future__ import annotations

from typing import Any

from mlplab.runs.config import TrainConfig

__all__ = ["build_mlp", "build_optimizer", "describe_mlp"]


def build_mlp(in_features: int, out_features: int, hidden: list[int] | tuple[int, ...] = (128,),
              activation: str = "relu", init: str | None = None, dropout: float = 0.0,
              seed: Any = None) -> Any:
    """``Sequential(Linear, g, [Dropout], …, Linear)`` with widths in → hidden… → out.

    Args:
        in_features: n^[0], the input width.
        out_features: the number of classes (logits).
        hidden: widths of the hidden layers ([] gives softmax regression).
        activation: a name from ``ml.nn.ACTIVATIONS`` ('relu', 'tanh', 'leaky_relu', …).
        init: a name from ``ml.nn.init`` ('he_normal', 'xavier_uniform', …), or None for
            PyTorch's default U(−1/√n_in, 1/√n_in).
        dropout: drop probability after each hidden activation (0 disables).
        seed: seed of the initial weights (the Trainer re-draws them from its own seed).
    """
    import numpy as np

    import mlplab.nn as nn

    rng = np.random.default_rng(seed)
    widths = [in_features, *hidden]
    layers: list[Any] = []
    for n_in, n_out in zip(widths[:-1], widths[1:], strict=True):
        layers.append(nn.Linear(n_in, n_out, init=init, seed=rng))
        layers.append(nn.get_activation(activation))
        if dropout:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(widths[-1], out_features, init=init, seed=rng))
    return nn.Sequential(*layers)


def describe_mlp(in_features: int, out_features: int, config: TrainConfig) -> str:
    """A one-line summary such as '64-128-10 MLP, relu, dropout 0.2'."""
    widths = "-".join(str(w) for w in (in_features, *config.hidden, out_features))
    if not config.hidden:
        return f"{widths} softmax regression"
    text = f"{widths} MLP, {config.activation}"
    if config.init:
        text += f", {config.init} init"
    if config.dropout:
        text += f", dropout {config.dropout:g}"
    return text


def _schedule(config: TrainConfig, steps_per_epoch: int) -> Any:
    """The learning rate as a float, or a per-step schedule with epochs turned into steps."""
    from mlplab.optim import schedules

    if config.schedule == "constant":
        return config.lr
    every = max(1, round(config.decay_epochs * steps_per_epoch))
    if config.schedule == "inverse_time":  # α₀ / (1 + rate · t / steps)
        return schedules.InverseTimeDecay(config.lr, every, config.decay_rate)
    if config.schedule == "exponential":  # α₀ · rate^(t / steps)
        return schedules.ExponentialDecay(config.lr, every, config.decay_rate)
    if config.schedule == "step":  # α₀ · rate^⌊t / steps⌋
        return schedules.StepDecay(config.lr, every, config.decay_rate)
    # cosine: from α₀ down to 0 over the whole run
    return schedules.CosineDecay(config.lr, max(1, config.epochs * steps_per_epoch))


def build_optimizer(model: Any, config: TrainConfig, steps_per_epoch: int) -> Any:
    """The named optimizer over the model's parameters, with lr (or schedule), weight decay
    and momentum (sgd, rmsprop) from the config."""
    from mlplab.optim import get_optimizer

    # weight_decay always passed: AdamW's own default (0.01) would hide behind a 0 here
    kwargs: dict[str, Any] = {"lr": _schedule(config, steps_per_epoch),
                              "weight_decay": config.weight_decay}
    if config.momentum:
        kwargs["momentum"] = config.momentum
    return get_optimizer(config.optimizer, model.parameters(), **kwargs)
