"""Momentum SGD as scikit-learn's MLP estimators compute it, so that ``solver='sgd'``
trains the same weights as ``sklearn.neural_network`` even when the learning rate
changes during training (``learning_rate='invscaling'`` or ``'adaptive'``).

scikit-learn keeps the velocity in weight units, the learning rate inside it::

    v := μ v − α dW
    W := W + v                    (classical momentum)
    W := W + μ v − α dW           (``nesterovs_momentum=True``)

``ml.optim.SGD`` (like PyTorch) keeps it in gradient units, v := μ v + dW, and
multiplies by α at the step. With a constant α the two are the same method
(scikit-learn's v is −α times PyTorch's); when α changes, scikit-learn's velocity
still carries the earlier α for a while, PyTorch's takes the new α at once.
"""

from __future__ import annotations

from typing import Any

from mlplab.backend import xp
from mlplab.optim import SGD


class SklearnSGD(SGD):
    """``ml.optim.SGD`` with scikit-learn's velocity (see the module); no dampening."""

    def update(self, p: Any, g: Any, state: Any, lr: float, group: dict[str, Any]) -> None:
        mu = group["momentum"]
        if mu == 0:
            super().update(p, g, state, lr, group)
            return
        if state.momentum_buffer is None:
            state.momentum_buffer = xp.zeros_like(p.data)
        velocity = state.momentum_buffer
        velocity *= mu
        step = xp.multiply(g, lr, out=self.scratch(p.data, spare=g))  # α dW
        velocity -= step
        if group["nesterov"]:
            p.data -= step
            p.data += xp.multiply(velocity, mu, out=step)
        else:
            p.data += velocity
