"""Adagrad: per-coordinate step sizes from the sum of all past squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlplab import checks
from mlplab.backend import xp
from mlplab.optim.optimizer import Optimizer
from mlplab.optim.param_groups import LEARNING_RATE


@dataclass
class AdagradState:
    """``step``: t, updates so far; ``s``: S_dW, the sum of squared gradients."""

    step: int
    s: Any


class Adagrad(Optimizer):
    r"""Adagrad: divide each coordinate's step by the root of its summed squared gradients.

    At step t (counted from 1)::

        S := S + dW²                     (S starts at initial_accumulator_value)
        α_t = α / (1 + (t − 1) η)
        W := W − α_t dW / (√S + ε)

    Symbols → arguments: α is ``lr``, η is ``lr_decay``, ε is ``eps``, S₀ is
    ``initial_accumulator_value``, λ is ``weight_decay`` (dW := dW + λW first).
    Rarely-updated coordinates keep large steps; S only grows, so steps shrink
    for good — RMSprop replaces the sum by a running average to fix that.

    Defaults: lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10 (PyTorch's). Source: Duchi, Hazan & Singer 2011. Matches
    ``torch.optim.Adagrad``.
    """

    constraints = {
        "lr": LEARNING_RATE,
        "lr_decay": checks.NON_NEGATIVE,
        "weight_decay": checks.NON_NEGATIVE,
        "initial_accumulator_value": checks.NON_NEGATIVE,
        "eps": checks.Interval(0.0, None, "neither", example="1e-10"),
    }
    state_type = AdagradState
    elementwise = True

    def __init__(self, params: Iterable[Any], lr: Any = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10) -> None:
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps))

    def init_state(self, p: Any, group: dict[str, Any]) -> AdagradState:
        return AdagradState(step=0, s=xp.full_like(p.data, group["initial_accumulator_value"]))

    def update(self, p: Any, g: Any, state: AdagradState, lr: float,
               group: dict[str, Any]) -> None:
        state.step += 1
        lr_t = lr / (1.0 + (state.step - 1) * group["lr_decay"])
        tmp = xp.multiply(g, g, out=self.scratch(p.data))
        state.s += tmp
        xp.sqrt(state.s, out=tmp)
        tmp += group["eps"]
        step = self.scratch(p.data, spare=g)  # g itself when the step consumes gradients
        xp.divide(g, tmp, out=step)  # the last read of g
        step *= lr_t
        p.data -= step
