"""``EWMA``: the exponentially weighted moving average (指数加权平均), bias-corrected."""

from __future__ import annotations

from typing import Any

from mlplab import checks


class EWMA:
    """Smooth a sequence θ₁, θ₂, …: the rule momentum, RMSprop and Adam are built on.

    ::

        v_t = β v_{t−1} + (1 − β) θ_t,   v₀ = 0
        v̂_t = v_t / (1 − βᵗ)             (bias correction: early v_t are pulled toward 0)

    v_t averages roughly the last 1/(1 − β) values: β = 0.9 ≈ 10, β = 0.98 ≈ 50
    (smoother, but slower to follow changes). θ may be a number or an array.

    Args:
        beta: β in [0, 1). Default 0.9.
        bias_correction: return v̂_t instead of v_t. Default True.

    >>> avg = EWMA(beta=0.5)
    >>> avg.update(4.0), avg.update(2.0)   # v₁ = 2, v̂₁ = 2/0.5; v₂ = 2, v̂₂ = 2/0.75
    (4.0, 2.6666666666666665)
    """

    def __init__(self, beta: float = 0.9, bias_correction: bool = True) -> None:
        checks.check("EWMA", "beta", beta, checks.FRACTION)
        checks.check("EWMA", "bias_correction", bias_correction, checks.BOOLEAN)
        self.beta = float(beta)
        self.bias_correction = bias_correction
        self.reset()

    def reset(self) -> None:
        """Forget all values (t = 0, v = 0)."""
        self.t = 0
        self._v: Any = 0.0

    def update(self, x: Any) -> Any:
        """Add θ_t = x and return the smoothed value."""
        self.t += 1
        self._v = self.beta * self._v + (1.0 - self.beta) * x
        return self.value

    @property
    def value(self) -> Any:
        """v̂_t (or v_t without bias correction); None before the first update."""
        if self.t == 0:
            return None
        if self.bias_correction:
            return self._v / (1.0 - self.beta**self.t)
        return self._v

    def state_dict(self) -> dict[str, Any]:
        return {"beta": self.beta, "bias_correction": self.bias_correction, "t": self.t,
                "v": self._v}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.__init__(state["beta"], state["bias_correction"])
        self.t = int(state["t"])
        self._v = state["v"]

    def __repr__(self) -> str:
        return f"EWMA(beta={self.beta}, bias_correction={self.bias_correction}, t={self.t})"
