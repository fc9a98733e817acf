"""The optimizer and learning-rate schedule a ``TrainConfig`` names.

Every optimizer of ``ml.optim`` is reachable, with its own settings:

=========  ============================================================
sgd        ``momentum`` β, ``nesterov``
adam(w)    ``beta1`` β₁, ``beta2`` β₂, ``eps`` ε, ``amsgrad``
rmsprop    ``rho`` (PyTorch's ``alpha``, the decay of the squared-gradient average),
           ``eps``, ``momentum``, ``centered``
adagrad    ``eps``
adadelta   ``rho``, ``eps``
=========  ============================================================

and ``lr`` α and ``weight_decay`` λ for all. ``eps`` and ``rho`` left out take the
optimizer's own default.
"""

from __future__ import annotations

from typing import Any

__all__ = ["OPTIMIZER_SETTINGS", "SCHEDULES", "build_optimizer", "learning_rate"]

OPTIMIZER_SETTINGS: dict[str, tuple[str, ...]] = {
    "sgd": ("momentum", "nesterov"),
    "adam": ("beta1", "beta2", "eps", "amsgrad"),
    "adamw": ("beta1", "beta2", "eps", "amsgrad"),
    "rmsprop": ("rho", "eps", "momentum", "centered"),
    "adagrad": ("eps",),
    "adadelta": ("rho", "eps"),
}
"""The config settings each optimizer reads besides lr and weight_decay."""

SCHEDULES = ("constant", "inverse_time", "exponential", "step", "cosine", "plateau")
"""``schedule`` names; ``plateau`` is a callback (it watches the dev loss), the rest are
functions of the step handed to the optimizer as its lr."""


def learning_rate(config: Any, steps_per_epoch: int) -> Any:
    """The learning rate as a float, or a per-step schedule with epochs turned into steps T."""
    from mlplab.optim import schedules

    if config.schedule in ("constant", "plateau"):
        return config.lr
    every = max(1, round(config.decay_epochs * steps_per_epoch))
    if config.schedule == "inverse_time":  # α₀ / (1 + rate · t / T)
        return schedules.InverseTimeDecay(config.lr, every, config.decay_rate)
    if config.schedule == "exponential":  # α₀ · rate^(t / T)
        return schedules.ExponentialDecay(config.lr, every, config.decay_rate)
    if config.schedule == "step":  # α₀ · rate^⌊t / T⌋
        return schedules.StepDecay(config.lr, every, config.decay_rate)
    # cosine: from α₀ down to 0 over the whole run
    return schedules.CosineDecay(config.lr, max(1, config.epochs * steps_per_epoch))


def _optimizer_kwargs(config: Any) -> dict[str, Any]:
    """The constructor arguments of ``config.optimizer`` from the settings it reads."""
    kwargs: dict[str, Any] = {}
    for setting in OPTIMIZER_SETTINGS[config.optimizer]:
        value = getattr(config, setting)
        if value is None:  # eps, rho: the optimizer's own default
            continue
        if setting == "rho" and config.optimizer == "rmsprop":
            kwargs["alpha"] = value
        elif setting in ("beta1", "beta2"):
            kwargs["betas"] = (config.beta1, config.beta2)
        else:
            kwargs[setting] = value
    return kwargs


def build_optimizer(model: Any, config: Any, steps_per_epoch: int) -> Any:
    """The named optimizer over the model's parameters, with lr (or schedule), weight decay
    and the optimizer's own settings from the config."""
    from mlplab.optim import get_optimizer

    # weight_decay always passed: AdamW's own default (0.01) would hide behind a 0 here
    return get_optimizer(config.optimizer, model.parameters(),
                         lr=learning_rate(config, steps_per_epoch),
                         weight_decay=config.weight_decay, **_optimizer_kwargs(config))
