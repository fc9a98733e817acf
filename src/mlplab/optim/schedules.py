"""Learning-rate schedules: plain callables step → lr (Keras-style arguments).

Learning-rate decay (学习率衰减): keep α large at first for speed and small near the minimum
to stop oscillating. An optimizer takes ``lr=`` a number or one of these; at each
``step()`` it calls ``schedule(t)`` with t = the number of steps already taken
(0 for the first update), as Keras does.

    >>> from mlplab.optim.schedules import InverseTimeDecay
    >>> lr = InverseTimeDecay(0.1, decay_steps=1, decay_rate=1.0)
    >>> [lr(t) for t in range(4)]    # α₀ / (1 + rate · t)
    [0.1, 0.05, 0.03333333333333333, 0.025]

Arguments are validated when a schedule is built. Each schedule has
``get_config()`` and ``state_dict()`` / ``load_state_dict()``, so an optimizer
saves it with its own state. ``ReduceLROnPlateau`` is the one driven by a
monitored value instead of the step.
"""

from __future__ import annotations

import math
from typing import Any

from mlplab import checks
from mlplab.optim.lr_schedule import LearningRateSchedule
from mlplab.optim.plateau import ReduceLROnPlateau

__all__ = ["CosineDecay", "ExponentialDecay", "InverseTimeDecay", "LearningRateSchedule",
           "PiecewiseConstantDecay", "ReduceLROnPlateau", "StepDecay", "get",
           "schedule_from_state"]


_LR0 = checks.Interval(0.0, None, "left", example="0.1")
_STEPS = checks.Interval(0.0, None, "neither", example="1000")


class _DecayOverSteps(LearningRateSchedule):
    """Shared arguments of the decays driven by p = t / steps (floored with ``staircase``)."""

    config = ("initial_learning_rate", "decay_steps", "decay_rate", "staircase")

    def __init__(self, initial_learning_rate: float, decay_steps: float, decay_rate: float,
                 staircase: bool = False) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self._validate()

    def _progress(self, step: int) -> float:
        p = step / self.decay_steps
        return math.floor(p) if self.staircase else p


class InverseTimeDecay(_DecayOverSteps):
    """α = α₀ / (1 + rate · t / steps) — the textbook a = a₀ / (1 + decay_rate · epoch_num).

    With ``staircase=True`` t / steps is floored, so α drops once every
    ``decay_steps`` steps (``decay_steps`` = batches per epoch gives the textbook
    per-epoch form). Symbols → arguments: α₀ is ``initial_learning_rate``, rate is
    ``decay_rate``, steps is ``decay_steps``. Same as Keras ``InverseTimeDecay``.
    """

    constraints = {"initial_learning_rate": _LR0, "decay_steps": _STEPS,
                   "decay_rate": checks.Interval(0.0, None, "left", example="0.5"),
                   "staircase": checks.BOOLEAN}

    def __call__(self, step: int) -> float:
        return self.initial_learning_rate / (1.0 + self.decay_rate * self._progress(step))


class ExponentialDecay(_DecayOverSteps):
    """α = α₀ · rate^(t / steps) — the textbook exponential decay a = β^epoch_num · a₀.

    ``staircase=True`` floors t / steps. PyTorch's ``ExponentialLR(gamma)`` stepped
    once per epoch is ``ExponentialDecay(lr0, decay_steps=batches_per_epoch,
    decay_rate=gamma, staircase=True)``. Same as Keras ``ExponentialDecay``.
    """

    constraints = {"initial_learning_rate": _LR0, "decay_steps": _STEPS,
                   "decay_rate": checks.Interval(0.0, None, "neither", example="0.96"),
                   "staircase": checks.BOOLEAN}

    def __call__(self, step: int) -> float:
        return self.initial_learning_rate * self.decay_rate ** self._progress(step)


class StepDecay(LearningRateSchedule):
    """α = α₀ · γ^⌊t / step_size⌋: multiply by γ every ``step_size`` steps.

    The same as PyTorch's ``StepLR(step_size, gamma)`` (there t counts scheduler
    steps, usually epochs).
    """

    config = ("initial_learning_rate", "step_size", "gamma")
    constraints = {"initial_learning_rate": _LR0,
                   "step_size": checks.Interval(1, None, "left", integer=True, example="30"),
                   "gamma": checks.Interval(0.0, None, "left", example="0.1")}

    def __init__(self, initial_learning_rate: float, step_size: int, gamma: float = 0.1) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.step_size = step_size
        self.gamma = gamma
        self._validate()

    def __call__(self, step: int) -> float:
        return self.initial_learning_rate * self.gamma ** (step // self.step_size)


class PiecewiseConstantDecay(LearningRateSchedule):
    """α = values[i] on the i-th interval of ``boundaries`` (Keras semantics).

    values[0] while t ≤ boundaries[0], values[1] while boundaries[0] < t ≤
    boundaries[1], …, values[-1] after the last boundary.
    """

    config = ("boundaries", "values")

    def __init__(self, boundaries: list[float], values: list[float]) -> None:
        name = "PiecewiseConstantDecay"
        self.boundaries = [b for b in boundaries]
        self.values = [x for x in values]
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(
                f"{name}: values must have one more entry than boundaries, received "
                f"{len(self.boundaries)} boundaries and {len(self.values)} values"
            )
        for i, b in enumerate(self.boundaries):
            checks.check(name, f"boundaries[{i}]", b, checks.Interval(0.0, None, "left"))
        if any(b1 >= b2 for b1, b2 in zip(self.boundaries, self.boundaries[1:], strict=False)):
            raise ValueError(f"{name}: boundaries must be strictly increasing, received "
                             f"{self.boundaries}")
        for i, x in enumerate(self.values):
            checks.check(name, f"values[{i}]", x, _LR0)

    def __call__(self, step: int) -> float:
        for boundary, value in zip(self.boundaries, self.values, strict=False):
            if step <= boundary:
                return value
        return self.values[-1]


class CosineDecay(LearningRateSchedule):
    """Cosine annealing with an optional linear warm-up (Keras semantics).

    Without warm-up, for t ≤ T = ``decay_steps`` (constant after)::

        α = α₀ · ((1 − a) · ½(1 + cos(π t / T)) + a)

    so α goes from α₀ to a·α₀ (a is ``alpha``). With ``warmup_steps`` = W > 0 and
    ``warmup_target`` = α₁, α rises linearly from α₀ to α₁ over the first W steps,
    then decays from α₁ as above with t − W. PyTorch's
    ``CosineAnnealingLR(T_max=T, eta_min=a·α₀)`` gives the same values for t ≤ T.
    Source: Loshchilov & Hutter 2017 (SGDR); Goyal et al. 2017 (warm-up).
    """

    config = ("initial_learning_rate", "decay_steps", "alpha", "warmup_target", "warmup_steps")
    constraints = {"initial_learning_rate": _LR0, "decay_steps": _STEPS,
                   "alpha": checks.Interval(0.0, 1.0, "both", example="0.0"),
                   "warmup_target": checks.Interval(0.0, None, "left", example="0.1"),
                   "warmup_steps": checks.Interval(0, None, "left", integer=True, example="100")}

    def __init__(self, initial_learning_rate: float, decay_steps: float, alpha: float = 0.0,
                 warmup_target: float | None = None, warmup_steps: int = 0) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps
        self._validate()
        if warmup_steps and warmup_target is None:
            raise ValueError(
                f"CosineDecay: warmup_steps={warmup_steps} has no effect without warmup_target; "
                "pass warmup_target=<the learning rate to reach after the warm-up>"
            )

    def _decay(self, t: float, lr_from: float) -> float:
        cosine = 0.5 * (1.0 + math.cos(math.pi * t / self.decay_steps))
        return lr_from * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: int) -> float:
        if self.warmup_target is None:
            return self._decay(min(step, self.decay_steps), self.initial_learning_rate)
        t = min(step, self.decay_steps + self.warmup_steps)
        if t < self.warmup_steps:
            fraction = t / self.warmup_steps
            return self.initial_learning_rate + (self.warmup_target
                                                 - self.initial_learning_rate) * fraction
        return self._decay(t - self.warmup_steps, self.warmup_target)


def _registry() -> dict[str, type]:
    return {cls.__name__: cls for cls in (InverseTimeDecay, ExponentialDecay, StepDecay,
                                          PiecewiseConstantDecay, CosineDecay, ReduceLROnPlateau)}


def get(name: str, **kwargs: Any) -> LearningRateSchedule:
    """Build a schedule from its class name (case-insensitive), e.g. ``get("cosinedecay", …)``."""
    registry = _registry()
    by_key = {k.lower(): k for k in registry}
    key = str(name).lower().replace("_", "")
    if key not in by_key:
        match = checks.closest(key, by_key)
        hint = f"; did you mean {by_key[match]!r}?" if match else ""
        raise checks.ParameterError(f"schedules.get: unknown learning-rate schedule {name!r}"
                                    f"{hint}; valid: {', '.join(sorted(registry))}")
    return registry[by_key[key]](**kwargs)


def schedule_from_state(name: str, state: dict[str, Any]) -> LearningRateSchedule:
    """Rebuild a schedule saved by ``state_dict()`` (used by ``Optimizer.load_state_dict``)."""
    registry = _registry()
    if name not in registry:
        raise checks.unknown("load_state_dict", "learning-rate schedule", name, registry)
    schedule = registry[name](**state["config"])
    schedule.load_state_dict(state)
    return schedule
