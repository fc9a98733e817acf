"""Adam (momentum + RMSprop with bias correction), AMSGrad, and AdamW (decoupled decay)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mlplab import checks
from mlplab.backend import xp
from mlplab.optim.optimizer import Optimizer
from mlplab.optim.param_groups import LEARNING_RATE
from mlplab.optim.rules import running_average_


@dataclass
class AdamState:
    """``step``: t; ``v``: v_dW (first moment); ``s``: S_dW (second moment);
    ``s_max``: the largest S so far (``amsgrad=True`` only)."""

    step: int
    v: Any
    s: Any
    s_max: Any = None


class Adam(Optimizer):
    r"""Adam (adaptive moment estimation): momentum and RMSprop together, with bias correction.

    At step t (counted from 1), with v = S = 0 at the start::

        v := β₁ v + (1 − β₁) dW                  (momentum: running average of dW)
        S := β₂ S + (1 − β₂) dW²                 (RMSprop: running average of dW²)
        v̂ = v / (1 − β₁ᵗ),  Ŝ = S / (1 − β₂ᵗ)     (bias correction, 偏差修正)
        W := W − α v̂ / (√Ŝ + ε)

    With ``amsgrad=True`` Ŝ uses the running maximum of S instead (Reddi et al.
    2018), so the per-coordinate step never grows.

    Symbols → arguments: α is ``lr``, β₁, β₂ are ``betas``, ε is ``eps``, λ is
    ``weight_decay``: added to the gradient (dW := dW + λW, L2 regularization),
    or with ``decoupled_weight_decay=True`` (this is ``AdamW``) applied to the
    weights directly, W := W − αλW, before the Adam step.

    Defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8 (the values the Adam paper
    the usual recommendation), weight_decay=0, amsgrad=False. Source: Kingma &
    Ba 2015, "Adam: a method for stochastic optimization". Matches ``torch.optim.Adam``.

    Note:
        The step is computed as α√(1−β₂ᵗ)/(1−β₁ᵗ) · v / (√S + ε√(1−β₂ᵗ)), which
        equals the formula above and needs fewer passes over the arrays.
    """

    constraints = {
        "lr": LEARNING_RATE,
        "betas": checks.Pair(checks.FRACTION, example="(0.9, 0.999)"),
        "eps": checks.POSITIVE,
        "weight_decay": checks.NON_NEGATIVE,
        "amsgrad": checks.BOOLEAN,
        "decoupled_weight_decay": checks.BOOLEAN,
    }
    state_type = AdamState
    elementwise = True

    def __init__(self, params: Iterable[Any], lr: Any = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *,
                 decoupled_weight_decay: bool = False) -> None:
        super().__init__(params, dict(lr=lr, betas=tuple(betas) if isinstance(betas, list)
                                      else betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def init_state(self, p: Any, group: dict[str, Any]) -> AdamState:
        return AdamState(step=0, v=xp.zeros_like(p.data), s=xp.zeros_like(p.data),
                         s_max=xp.zeros_like(p.data) if group["amsgrad"] else None)

    def update(self, p: Any, g: Any, state: AdamState, lr: float, group: dict[str, Any]) -> None:
        beta1, beta2 = group["betas"]
        state.step += 1
        t = state.step
        running_average_(state.v, g, beta1, scratch=self.scratch(p.data))
        # g is read for the last time here (g² may be formed in place): from now on the
        # temporary can be g itself when the step consumes the gradients
        tmp = self.scratch(p.data, spare=g)
        running_average_(state.s, g, beta2, square=True, scratch=tmp)
        s = state.s
        if group["amsgrad"]:
            if state.s_max is None:  # amsgrad switched on after the first step
                state.s_max = xp.zeros_like(p.data)
            xp.maximum(state.s_max, state.s, out=state.s_max)
            s = state.s_max
        root_bc2 = math.sqrt(1.0 - beta2**t)
        xp.sqrt(s, out=tmp)
        tmp += self.epsilon_added_to_root_s(group["eps"], root_bc2)
        xp.divide(state.v, tmp, out=tmp)
        tmp *= lr * root_bc2 / (1.0 - beta1**t)
        p.data -= tmp


    def epsilon_added_to_root_s(self, eps: float, root_bc2: float) -> float:
        """ε√(1−β₂ᵗ): the step divides by √S + ε√(1−β₂ᵗ), i.e. by √Ŝ + ε after the
        bias corrections are folded into the step size (see the class note)."""
        return eps * root_bc2


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019).

    Each step first shrinks the weights, W := W − αλW, then takes the Adam step
    computed from the plain gradient dW (see ``Adam`` for the formulas). Unlike
    L2 regularization, the decay is not divided by √Ŝ, so every weight decays at
    the same rate.

    Symbols → arguments: as in ``Adam``; λ is ``weight_decay``.

    Defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
    amsgrad=False (PyTorch's). Matches ``torch.optim.AdamW``.
    """

    def __init__(self, params: Iterable[Any], lr: Any = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, decoupled_weight_decay=True)
