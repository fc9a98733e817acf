"""RMSprop: divide the step by the root of a running average of squared gradients."""

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
class RMSpropState:
    """``s``: S_dW, the running average of dW²; ``g_avg``: running average of dW
    (``centered=True`` only); ``momentum_buffer``: b (``momentum > 0`` only)."""

    s: Any
    g_avg: Any = None
    momentum_buffer: Any = None


class RMSprop(Optimizer):
    r"""RMSprop (root mean square propagation)::

        S := β S + (1 − β) dW²                  (the running average, β is alpha)
        W := W − α dW / (√S + ε)

    With ``centered=True`` the variance is used instead of the raw second moment:
    G := β G + (1 − β) dW and the denominator is √(S − G²) + ε. With
    ``momentum=μ > 0``: b := μ b + dW / (√S + ε), then W := W − α b.

    Symbols → arguments: α is ``lr``, β is ``alpha``, ε is ``eps``, μ is
    ``momentum``, λ is ``weight_decay`` (dW := dW + λW first). Steep directions
    (large S) get small steps and flat ones large steps, which damps the
    zig-zag of plain gradient descent in a ravine.

    Defaults: lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
    centered=False (PyTorch's). Source: Hinton, Srivastava & Swersky, Coursera
    lecture 6e (2012); centered form from Graves 2013.

    Warning:
        The textbook writes W := W − α dW/√S with no ε; ε is added outside the square
        root, as in PyTorch (TensorFlow adds it inside). Matches ``torch.optim.RMSprop``.
    """

    constraints = {
        "lr": LEARNING_RATE,
        "alpha": checks.Interval(0.0, 1.0, "left", example="0.99"),
        "eps": checks.POSITIVE,
        "weight_decay": checks.NON_NEGATIVE,
        # μ ≥ 1 never forgets a step: the velocity grows without bound
        "momentum": checks.FRACTION,
        "centered": checks.BOOLEAN,
    }
    state_type = RMSpropState
    elementwise = True

    def __init__(self, params: Iterable[Any], lr: Any = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False) -> None:
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def init_state(self, p: Any, group: dict[str, Any]) -> RMSpropState:
        return RMSpropState(
            s=xp.zeros_like(p.data),
            g_avg=xp.zeros_like(p.data) if group["centered"] else None,
            momentum_buffer=xp.zeros_like(p.data) if group["momentum"] > 0 else None,
        )

    def update(self, p: Any, g: Any, state: RMSpropState, lr: float,
               group: dict[str, Any]) -> None:
        beta = group["alpha"]
        tmp = self.scratch(p.data)
        running_average_(state.s, g, beta, square=True, scratch=tmp)
        if group["centered"]:
            if state.g_avg is None:  # centered switched on after the first step
                state.g_avg = xp.zeros_like(p.data)
            running_average_(state.g_avg, g, beta, scratch=tmp)
            xp.multiply(state.g_avg, state.g_avg, out=tmp)
            xp.subtract(state.s, tmp, out=tmp)
            xp.sqrt(tmp, out=tmp)
        else:
            xp.sqrt(state.s, out=tmp)
        tmp += group["eps"]
        direction = self.scratch(p.data, spare=g)  # g itself when the step consumes gradients
        xp.divide(g, tmp, out=direction)  # dW / (√S + ε), the last read of g
        tmp = direction
        mu = group["momentum"]
        if mu > 0:
            if state.momentum_buffer is None:
                state.momentum_buffer = xp.zeros_like(p.data)
            buf = state.momentum_buffer
            buf *= mu
            buf += tmp
            descend_(p.data, buf, lr, scratch=tmp)
        else:
            descend_(p.data, tmp, lr, scratch=tmp)
