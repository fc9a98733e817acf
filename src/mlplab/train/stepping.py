"""One step of gradient descent on a batch, the ``Trainer``'s ``train_step``.

    forward:   A = model(X),  J = loss(A, Y)     (checked: J and A finite, else no step)
    backward:  dθ = ∂J/∂θ for every parameter
    update:    [clip ‖dθ‖ to c];  θ := θ − α · (optimizer's step direction)

The forward and backward passes take one of two routes with the same numbers: the
model's training plan (``training_plan.py``: a ``Sequential`` MLP under a plain loss,
differentiated by hand on raw arrays) where it applies, else the recorded graph and
``loss.backward()``. Either way the loss and the outputs are checked before any
gradient is written, so a diverging batch never reaches the weights.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mlplab.autograd.tensor import Tensor
from mlplab.optim.flat_step import FlatStep
from mlplab.optim.layerwise import LayerwiseStep
from mlplab.train.divergence import NonFiniteLoss, all_finite
from mlplab.train.evaluation import Evaluation
from mlplab.train.training_plan import plan_for


class Stepping:
    """Mixin of ``Trainer``: ``train_step`` and its two routes (plan or graph)."""

    model: Any
    loss: Any
    optimizer: Any
    clip_grad_norm: float | None
    _step_kwargs: dict[str, Any]
    # False: the optimizer steps after the whole backward pass even where a layerwise or
    # flat step applies (benchmarks/train_ablation.py compares the two)
    layerwise_update: bool = True
    _layerwise_steps: _StepsDuringBackward | None = None

    def train_step(self, xb: Any, yb: Any) -> tuple[float, np.ndarray]:
        """One step of gradient descent on a batch: forward, loss, backward, update.

        Raises ``NonFiniteLoss`` before the backward pass when the loss or the outputs
        are not finite, so a diverging batch never reaches the weights.
        """
        x = self.prepare_inputs(xb)
        done = self._planned_backward(x, yb)
        if done is not None and done[2]:  # the plan applied the update during backward
            if self.model.pretrained is not True:  # (Module.__setattr__ costs a call)
                self.model.pretrained = True
            return done[0], done[1]
        loss_value, outputs = done[:2] if done is not None else self._autograd_backward(x, yb)
        if self.clip_grad_norm is not None:
            from mlplab.nn.utils import clip_grad_norm_

            clip_grad_norm_(self.model.parameters(), self.clip_grad_norm)
        # the gradients die with this step: let the update use them as scratch space
        self.optimizer.step(**self._step_kwargs)
        self.model.pretrained = True  # these weights are now trained: never re-draw them
        return loss_value, outputs

    def _autograd_backward(self, x: Any, yb: Any) -> tuple[float, np.ndarray]:
        """Forward, loss and backward through the recorded graph (the readable path)."""
        outputs = self.model(Tensor(x))
        loss = self.compute_loss(outputs, self.prepare_targets(yb, outputs))
        loss_value = float(loss.data)
        if not (math.isfinite(loss_value) and all_finite(outputs.data)):
            raise NonFiniteLoss(loss_value)
        self.optimizer.zero_grad()
        loss.backward()
        return loss_value, outputs.data

    def _planned_backward(self, x: Any, yb: Any) -> tuple[float, np.ndarray, bool] | None:
        """The same step through the model's training plan (``training_plan.py``: the
        same numbers without the graph), or None where the plan does not apply. The last
        item says whether the optimizer's step is done too (``_layerwise``)."""
        if not self._plain_loss():
            return None
        plan = plan_for(self.model, self.loss)
        if plan is None or not plan.takes(x):
            return None
        outputs = plan.forward(x)
        loss_value = plan.loss(self.prepare_targets(yb, outputs))
        if loss_value is None:  # targets only the plain loss handles (or words an error for)
            return None
        if not (math.isfinite(loss_value) and (plan.head.finite_loss_means_finite_outputs
                                               or all_finite(outputs))):
            raise NonFiniteLoss(loss_value)
        update = self._layerwise(plan)
        if update is not None:
            try:
                plan.backward(update)
            except BaseException:
                update.abandon()
                raise
            update.finish()
            return loss_value, outputs, True
        self.optimizer.zero_grad()
        plan.backward()
        return loss_value, outputs, False

    def _layerwise(self, plan: Any) -> LayerwiseStep | FlatStep | None:
        """A begun ``LayerwiseStep`` when the step may run during the backward pass: the
        gradients die with the step (``consume_grads``), no norm is clipped, the optimizer
        keeps the shared step and owns every parameter of the plan. For a model of small
        parameters only, a ``FlatStep`` first: the rule once over all of them."""
        if (not self.layerwise_update or self.clip_grad_norm is not None
                or not self._step_kwargs.get("consume_grads")):
            return None
        updates = self._layerwise_steps
        if updates is None or updates.optimizer is not self.optimizer:
            updates = self._layerwise_steps = _StepsDuringBackward(self.optimizer)
        return updates.begin(plan.params)

    def _plain_loss(self) -> bool:
        """True when the training loss is the loss module alone (``compute_loss`` is not
        overridden to add terms): the condition for using a training plan."""
        return type(self).compute_loss is Evaluation.compute_loss


class _StepsDuringBackward:
    """For one optimizer: the kinds of step that may run during the backward pass of a
    plan's parameters (decided once per plan), best first, and one step of each kind."""

    __slots__ = ("optimizer", "params", "kinds", "made")

    def __init__(self, optimizer: Any) -> None:
        self.optimizer = optimizer
        self.params: tuple[Any, ...] | None = None
        self.kinds: tuple[type, ...] = ()
        self.made: dict[type, Any] = {}  # kind → its step, or False: not supported

    def begin(self, params: tuple[Any, ...]) -> LayerwiseStep | FlatStep | None:
        """The first kind's step that begins on ``params``, or None."""
        if params is not self.params:
            self.params = params
            self.kinds = ((FlatStep, LayerwiseStep) if FlatStep.fits(params)
                          else (LayerwiseStep,))
        for kind in self.kinds:
            update = self.made.get(kind)
            if update is None:
                update = self.made[kind] = (kind(self.optimizer)
                                            if kind.supports(self.optimizer) else False)
            if update and update.begin(params):
                return update
        return None
