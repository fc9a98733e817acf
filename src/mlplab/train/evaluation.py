"""The Trainer's use of its model on data: inputs and targets in the loss's form,
``evaluate``, ``predict``, ``predict_proba``.

``Evaluation`` is a base class of ``Trainer``; it reads the Trainer's ``model``,
``loss``, ``task`` (from the loss: what the outputs mean) and ``metrics``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.checks import POSITIVE_INT, check, optional
from mlplab.data.validation import check_array, surely_finite
from mlplab.train.inference import forward_in_batches, output_width
from mlplab.train.inference_plan import plan_for
from mlplab.train.task_data import check_task_data


class Evaluation:
    """Data in, numbers out: the Trainer's methods that do not train."""

    model: Any
    loss: Any
    task: Any
    metrics: list[Any]

    # ----- data preparation -------------------------------------------------------------
    @property
    def dtype(self) -> np.dtype:
        """The model's float dtype: its first parameter's (read on every batch, so the
        parameter is looked up once; ``model.to(dtype)`` keeps the same Parameter)."""
        first = self.__dict__.get("_first_parameter")
        if first is None:
            first = self._first_parameter = next(iter(self.model.parameters()), None)
        if first is not None:
            return first.data.dtype
        from mlplab.backend import get_default_dtype

        return get_default_dtype()

    def prepare_inputs(self, X: Any) -> Any:
        """Cast a batch of features to the model's float dtype (sparse stays sparse)."""
        dtype = self.dtype
        if X.dtype != dtype:
            X = X.astype(dtype)
        return X

    def prepare_targets(self, y: Any, outputs: Any) -> Tensor:
        """Targets in the form the loss expects: class ids, or floats shaped like the output
        (``outputs``: a Tensor, or the array a training plan computed)."""
        if self.task.kind == "multiclass":
            return Tensor(y)
        y = np.asarray(y, dtype=outputs.dtype)
        if y.ndim == 1 and outputs.ndim == 2 and outputs.shape[1] == 1:
            y = y[:, None]
        return Tensor(y)

    def compute_loss(self, outputs: Tensor, targets: Tensor) -> Tensor:
        return self.loss(outputs, targets)

    def check_data(self, X: Any, y: Any, names: tuple[str, str] = ("X", "y")) -> tuple[Any, Any]:
        """Validate X and y at the public boundary; return them ready for training."""
        def width(X: Any) -> int:
            return output_width(self.model, X, self.prepare_inputs)

        return check_task_data(X, y, self.task, self.dtype, width, names)

    def _metric_values(self, y_true: np.ndarray, outputs: np.ndarray) -> dict[str, float]:
        scores = self.task.scores(outputs)
        return {m.name: float(m(y_true, scores)) for m in self.metrics}

    # ----- evaluation and prediction --------------------------------------------------------
    def evaluate(self, X: Any, y: Any, batch_size: int = 1024) -> dict[str, float]:
        """Loss and metrics on (X, y), in eval mode without recording a graph."""
        X, y = self.check_data(X, y)
        batch_size = self._batch_size("evaluate", batch_size, X)
        outputs = forward_in_batches(self.model, X, batch_size, self.prepare_inputs)
        total = 0.0
        with no_grad():
            for i in range(0, X.shape[0], batch_size):
                out = Tensor(outputs[i:i + batch_size])
                total += float(self.compute_loss(out, self.prepare_targets(
                    y[i:i + batch_size], out)).data) * len(out)
        logs = {"loss": total / X.shape[0]}
        logs.update(self._metric_values(y, outputs))
        return logs

    def predict_raw(self, X: Any, batch_size: int = 1024) -> np.ndarray:
        """The model's raw outputs (logits, log-probabilities or values), batched."""
        plan = plan_for(self.model)
        # the serving case (one dense batch of the model's width and dtype, all finite)
        # goes straight to the prepared plan: everything check_array would establish is
        # implied by plan.takes, except finiteness, checked here
        if (plan is not None and plan.takes(X) and type(batch_size) is int
                and 0 < X.shape[0] <= batch_size and surely_finite(X)):
            return plan(X)
        X = check_array(X, name="X", ensure_2d=False)
        batch_size = self._batch_size("predict", batch_size, X)
        return forward_in_batches(self.model, X, batch_size, self.prepare_inputs)

    @staticmethod
    def _batch_size(method: str, batch_size: Any, X: Any) -> int:
        """``batch_size`` checked, or all rows of X for None."""
        if type(batch_size) is int and batch_size > 0:  # the usual case, checked cheaply
            return batch_size
        batch_size = check(f"Trainer.{method}", "batch_size", batch_size, optional(POSITIVE_INT))
        return X.shape[0] if batch_size is None else int(batch_size)

    def predict(self, X: Any, batch_size: int = 1024) -> np.ndarray:
        """Class ids for classifiers, values for regression (eval mode, no graph)."""
        return self.task.predict(self.predict_raw(X, batch_size))

    def predict_proba(self, X: Any, batch_size: int = 1024) -> np.ndarray:
        """Class probabilities (n, K) — (n, 2) for binary models."""
        return self.task.proba(self.predict_raw(X, batch_size))
