"""Adadelta: RMSprop whose step size is itself a running RMS of past steps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlplab import checks
from mlplab.backend import xp
from mlplab.optim.optimizer import Optimizer
from mlplab.optim.param_groups import LEARNING_RATE
from mlplab.optim.rules import descend_, running_average_


@dataclass
class AdadeltaState:
    """``s``: S_dW, running average of dW²; ``s_delta``: running average of ΔW²."""

    s: Any
    s_delta: Any


class Adadelta(Optimizer):
    r"""Adadelta: the RMSprop running average, applied twice, so no global step size is needed::

        S  := ρ S  + (1 − ρ) dW²                        (RMSprop's average)
        ΔW := √(D + ε) / √(S + ε) · dW                  (units of W, not of dW)
        D  := ρ D  + (1 − ρ) ΔW²                        (the same average, of the steps)
        W  := W − α ΔW

    Symbols → arguments: ρ is ``rho``, ε is ``eps``, α is ``lr`` (a plain scale,
    1.0 in the paper), λ is ``weight_decay`` (dW := dW + λW first).

    Defaults: lr=1.0, rho=0.9, eps=1e-6, weight_decay=0 (PyTorch's; the paper
    used ρ=0.95). Source: Zeiler 2012, "ADADELTA: an adaptive learning rate
    method". Matches ``torch.optim.Adadelta``.
    """

    constraints = {
        "lr": LEARNING_RATE,
        "rho": checks.Interval(0.0, 1.0, "both", example="0.9"),
        "eps": checks.Interval(0.0, None, "neither", example="1e-6"),
        "weight_decay": checks.NON_NEGATIVE,
    }
    state_type = AdadeltaState
    elementwise = True

    def __init__(self, params: Iterable[Any], lr: Any = 1.0, rho: float = 0.9,
                 eps: float = 1e-6, weight_decay: float = 0.0) -> None:
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay))

    def init_state(self, p: Any, group: dict[str, Any]) -> AdadeltaState:
        return AdadeltaState(s=xp.zeros_like(p.data), s_delta=xp.zeros_like(p.data))

    def update(self, p: Any, g: Any, state: AdadeltaState, lr: float,
               group: dict[str, Any]) -> None:
        rho, eps = group["rho"], group["eps"]
        tmp = self.scratch(p.data)
        running_average_(state.s, g, rho, square=True, scratch=tmp)
        xp.add(state.s, eps, out=tmp)
        xp.sqrt(tmp, out=tmp)                      # √(S + ε)
        delta = xp.add(state.s_delta, eps)
        xp.sqrt(delta, out=delta)                  # √(D + ε)
        delta /= tmp
        delta *= g                                 # ΔW
        running_average_(state.s_delta, delta, rho, square=True, scratch=tmp)
        descend_(p.data, delta, lr, scratch=delta)
