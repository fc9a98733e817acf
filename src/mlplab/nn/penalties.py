"""L1 and L2 penalties on weights, as differentiable terms to add to the cost J.

L2 regularization adds λ/2m Σ_l ‖W^[l]‖²_F to the cost; its gradient λ/m · W is
added to dW, so W := W − α(dW + λ/m W) = (1 − αλ/m) W − α dW: the weights shrink
every step, hence the name *weight decay*. The same update comes from an
optimizer's ``weight_decay`` argument without a penalty term:

    l2_penalty(params, lam, m)   ≡   SGD(..., weight_decay=lam / m)

(exactly for SGD; for adaptive optimizers such as Adam the gradient term is also
divided by √Ŝ, which is why AdamW decouples the decay). The L1 penalty
λ/m Σ|W| has subgradient λ/m · sign(W) (0 at 0) and drives weights to exactly 0
(sparse weights); no optimizer option replaces it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from mlplab.autograd.tensor import Tensor


def _setup(parameters: Any, lam: Any, m: Any, where: str) -> tuple[list[Tensor], float]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    if not params:
        raise ValueError(f"{where}: received no parameters; pass the weights to penalize, e.g. "
                         "[p for name, p in model.named_parameters() if name.endswith('weight')]")
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{where}: parameters[{i}] must be a Parameter, received "
                            f"{type(p).__name__}")
    for name, value, positive in (("lam", lam, False), ("m", m, True)):
        bad = isinstance(value, bool) or not isinstance(value, int | float)
        if bad or not math.isfinite(value) or value < 0 or (positive and value == 0):
            raise ValueError(f"{where}: received an invalid value for {name}: {value!r}; "
                             f"expected a finite number {'>' if positive else '>='} 0")
    return params, float(lam) / float(m)


def l1_penalty(parameters: Tensor | Iterable[Tensor], lam: float, m: float = 1) -> Tensor:
    """λ/m · Σ |W| over the given parameters (a scalar tensor; add it to the loss).

    Args:
        parameters: a Parameter or an iterable of them (usually weights, not biases).
        lam: λ >= 0, the regularization strength.
        m: the number of examples the cost averages over ; default 1.
    """
    params, scale = _setup(parameters, lam, m, "l1_penalty")
    total = params[0].abs().sum()
    for p in params[1:]:
        total = total + p.abs().sum()
    return total * scale


def l2_penalty(parameters: Tensor | Iterable[Tensor], lam: float, m: float = 1) -> Tensor:
    """λ/(2m) · Σ ‖W‖²_F over the given parameters — the textbook L2 term (a scalar tensor).

    Its gradient is λ/m · W, the same as ``weight_decay=lam / m`` in ``ml.optim.SGD``.

    Args:
        parameters: a Parameter or an iterable of them (usually weights, not biases).
        lam: λ >= 0, the regularization strength.
        m: the number of examples the cost averages over ; default 1.
    """
    params, scale = _setup(parameters, lam, m, "l2_penalty")
    total = (params[0] * params[0]).sum()
    for p in params[1:]:
        total = total + (p * p).sum()
    return total * (0.5 * scale)
