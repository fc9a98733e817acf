"""Stochastic gradient descent, with momentum and Nesterov momentum."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlplab import checks
from mlplab.backend import xp
from mlplab.optim.optimizer import Optimizer
from mlplab.optim.param_groups import LEARNING_RATE
from mlplab.optim.rules import descend_


@dataclass
class SGDState:
    """``momentum_buffer``: the velocity v_dW (None until the first step with momentum)."""

    momentum_buffer: Any = None


class SGD(Optimizer):
    r"""Gradient descent (the textbook W := W − α dW), optionally with momentum.

    With momentum μ > 0 the step follows a running average of the gradients, the
    velocity v (gradient descent with momentum, 动量梯度下降法)::

        v := μ v + (1 − τ) dW          (v = dW on the first step)
        W := W − α v                   (nesterov=False)
        W := W − α (dW + μ v)          (nesterov=True: look ahead along v)

    Symbols → arguments: α is ``lr`` (a number or a schedule), μ is ``momentum``,
    τ is ``dampening``, λ is ``weight_decay`` (dW := dW + λW before the update —
    the gradient of the textbook L2 term λ/2m‖W‖² when λ ↔ λ/m).

    Courses often write momentum as an exponentially weighted average,
    v := β v + (1 − β) dW; that is ``momentum=β, dampening=β`` (except the first
    step, where v = dW as in PyTorch). With ``dampening=0`` (the default) the
    factor (1 − β) is folded into α instead.

    Defaults: lr=1e-3 (PyTorch's), momentum=0, dampening=0, nesterov=False,
    weight_decay=0. Sources: Robbins & Monro 1951; Polyak 1964 (momentum);
    Sutskever et al. 2013 (Nesterov momentum in this form). Matches
    ``torch.optim.SGD`` exactly.

    >>> from mlplab.nn.parameter import Parameter
    >>> w = Parameter([1.0, -2.0]); w.grad = w.data.copy()
    >>> opt = SGD([w], lr=0.5); opt.step(); w.data.tolist()
    [0.5, -1.0]
    """

    constraints = {
        "lr": LEARNING_RATE,
        # μ ≥ 1 never forgets a gradient: the velocity grows without bound
        "momentum": checks.FRACTION,
        "dampening": checks.Interval(0.0, 1.0, "both", example="0.0"),
        "weight_decay": checks.NON_NEGATIVE,
        "nesterov": checks.BOOLEAN,
    }
    state_type = SGDState
    elementwise = True

    def __init__(self, params: Iterable[Any], lr: Any = 1e-3, momentum: float = 0.0,
                 dampening: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      nesterov=nesterov, weight_decay=weight_decay))

    def check_group(self, group: dict[str, Any]) -> None:
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"SGD: nesterov=True needs momentum > 0 and dampening=0, received "
                f"momentum={group['momentum']}, dampening={group['dampening']}; "
                "e.g. SGD(params, lr=0.1, momentum=0.9, nesterov=True)"
            )

    def init_state(self, p: Any, group: dict[str, Any]) -> SGDState:
        return SGDState()

    def update(self, p: Any, g: Any, state: SGDState, lr: float, group: dict[str, Any]) -> None:
        mu = group["momentum"]
        if mu == 0:
            descend_(p.data, g, lr, scratch=self.scratch(p.data, spare=g))
            return
        buf = state.momentum_buffer
        if buf is None:
            buf = state.momentum_buffer = g.copy()
        else:
            buf *= mu
            damping = 1.0 - group["dampening"]
            if damping == 1.0:
                buf += g
            else:
                buf += xp.multiply(g, damping)
        if group["nesterov"]:
            direction = xp.multiply(buf, mu, out=self.scratch(p.data))
            direction += g
            descend_(p.data, direction, lr, scratch=direction)
        else:
            descend_(p.data, buf, lr, scratch=self.scratch(p.data, spare=g))

    def update_from_product(self, p: Any, left: Any, right: Any, group: dict[str, Any],
                            lr: float, blas: Any) -> bool:
        """The same update with dW = leftᵀ·right never stored (``mlplab.blas``)::

            μ = 0:   W := W − α·leftᵀright           one GEMM into W (β = 1)
            μ > 0:   v := μ v + (1 − τ)·leftᵀright   one GEMM into v (β = μ; first step v = dW)
                     W := W − α v                    one AXPY

        Equal to ``update`` up to float rounding. Nesterov momentum and weight decay need
        dW itself: those return False (the caller forms dW and calls ``update_one``).
        """
        if group["nesterov"] or group["weight_decay"] != 0.0 or not blas.takes(left, right, p.data):
            return False
        mu = group["momentum"]
        if mu == 0:
            blas.gemm(left, right, p.data, trans_a=True, alpha=-lr, beta=1.0)
            return True
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = self.init_state(p, group)
        buf = state.momentum_buffer
        if buf is not None and not blas.takes(buf, p.data):
            return False  # a loaded velocity of another layout: the plain update
        if buf is None:  # the first step: v = dW, as in update
            buf = state.momentum_buffer = xp.empty_like(p.data)
            blas.gemm(left, right, buf, trans_a=True)
        else:
            blas.gemm(left, right, buf, trans_a=True, alpha=1.0 - group["dampening"], beta=mu)
        blas.axpy(-lr, buf, p.data)
        return True

