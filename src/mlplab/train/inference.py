"""Running a model for evaluation and prediction: eval mode, no graph, in batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.train.inference_plan import plan_for


def forward_in_batches(model: Any, X: Any, batch_size: int,
                       prepare_inputs: Callable[[Any], Any]) -> np.ndarray:
    """The model's raw outputs on X, ``batch_size`` rows at a time, in eval mode.

    Dropout is off and batch normalization uses its running statistics; no graph is
    recorded. The model is put back into training mode afterwards if it was in it.
    Batches a ``Sequential`` can run as a prepared plan take that fast path (same
    outputs; see ``inference_plan``).
    """
    plan = plan_for(model)
    if plan is not None and X.shape[0] <= batch_size:
        x = prepare_inputs(X)
        if plan.takes(x):
            return plan(x)
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            if X.shape[0] <= batch_size:  # one batch (batch-1 prediction): no copies
                return model(Tensor(prepare_inputs(X))).data
            parts = [model(Tensor(prepare_inputs(X[i:i + batch_size]))).data
                     for i in range(0, X.shape[0], batch_size)]
    finally:
        if was_training:  # else the model is already where train(False) would leave it
            model.train()
    return np.concatenate(parts)


def output_width(model: Any, X: Any, prepare_inputs: Callable[[Any], Any]) -> int:
    """The number of outputs per example (K for K classes), from two rows of X."""
    out = forward_in_batches(model, X[:2], 2, prepare_inputs)
    return out.shape[1] if out.ndim == 2 else 1
