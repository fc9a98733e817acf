"""``Trainer``: mini-batch gradient descent with callbacks, metrics and exact resume.

One epoch of mini-batch gradient descent: shuffle the m examples, cut
them into batches X^{t}, Y^{t} of size b, and for each batch

    forward:   A = model(X^{t}),  J = loss(A, Y^{t})
    backward:  dW = ∂J/∂W for every parameter (autograd)
    update:    W := W − α · (optimizer's step direction)

b = m is batch gradient descent (``batch_size=None``), b = 1 stochastic gradient
descent, anything between mini-batch descent.

The pieces live beside this file: ``task_data.py`` checks (X, y) against the loss's
task, ``inference.py`` runs the model in eval mode, ``checkpointing.py`` saves and
resumes, ``seeds.py`` derives every random stream from one seed.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.checks import (
    FRACTION,
    NON_NEGATIVE_INT,
    POSITIVE,
    POSITIVE_INT,
    OneOf,
    Satisfies,
    check,
    optional,
)
from mlplab.data.loader import DataLoader
from mlplab.data.preprocessing import split_indices
from mlplab.data.validation import check_array
from mlplab.train.callbacks.base import Callback, CallbackList
from mlplab.train.callbacks.history import History
from mlplab.train.callbacks.progress import ProgressBar
from mlplab.train.callbacks.terminate_on_nan import DivergenceError, TerminateOnNaN
from mlplab.train.checkpointing import Checkpointing
from mlplab.train.inference import forward_in_batches, output_width
from mlplab.train.metrics import get_metric
from mlplab.train.resolve import resolve_loss, resolve_optimizer
from mlplab.train.seeds import SeedStreams
from mlplab.train.task_data import check_task_data
from mlplab.train.tasks import task_for_loss

_MODEL = Satisfies(lambda m: hasattr(m, "parameters") and callable(m), "an ml.nn.Module",
                   example="nn.Sequential(...)")
_VERBOSE = OneOf((0, 1, 2), example="0")
_VALIDATION_DATA = Satisfies(lambda v: isinstance(v, tuple | list) and len(v) == 2,
                             "a pair (X_dev, y_dev)", example="(X_dev, y_dev)")


def _accepts(fn: Any, keyword: str) -> bool:
    try:
        return keyword in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class FitSettings:
    """The settings of the current ``fit`` call, as callbacks read them (``trainer.settings``).

    ``epochs`` is the last epoch to reach (counting those already done), ``steps`` the
    mini-batches per epoch, ``batch_size`` the examples per batch b and ``samples`` the
    training examples m, after any ``validation_split``.
    """

    epochs: int
    steps: int
    batch_size: int
    samples: int


class Trainer(Checkpointing):
    """Fit, evaluate and use a model (Keras-style ``fit``; PyTorch-style pieces underneath).

    Args:
        model: an ``ml.nn.Module``.
        loss: a loss module (``ml.nn.CrossEntropyLoss()``) or its name ('cross_entropy',
            'mse', 'bce_with_logits', …). The loss also tells the task: cross-entropy/NLL/
            multi-margin → classification, BCE/hinge → binary, otherwise regression.
        optimizer: an ``ml.optim`` optimizer over ``model.parameters()``, or a name
            ('adam', 'sgd', …) to build one with its default learning rate.
        metrics: names ('accuracy', 'f1', 'mae', …) or callables ``f(y_true, y_score)``.
        callbacks: ``ml.train.callbacks`` instances. A ``TerminateOnNaN`` and a
            ``ProgressBar(verbose)`` are added unless you pass your own.
        seed: one seed for everything random: shuffling, dropout/RReLU/noise, augmentation,
            the validation split and — unless ``reinitialize=False`` — the initial weights
            (re-drawn when the Trainer is created). The same seed gives a bit-identical History.
        verbose: 0 silent, 1 live progress bar (terminals only), 2 one line per epoch.
        augment: optional callable applied to each training batch of X (e.g.
            ``ml.data.Augmenter``); it receives its own generator from ``seed``.
        clip_grad_norm: if set, rescale gradients to this global L2 norm before each step.
        reinitialize: with a seed, re-draw the model's weights from it (default). Pass False
            to keep loaded or pre-trained weights.
    """

    def __init__(self, model: Any, loss: Any, optimizer: Any, metrics: Iterable[Any] = (),
                 callbacks: Iterable[Callback] = (), seed: int | None = None, verbose: int = 1,
                 augment: Callable[[Any], Any] | None = None, clip_grad_norm: float | None = None,
                 reinitialize: bool = True) -> None:
        self.model = check("Trainer", "model", model, _MODEL)
        self.loss = resolve_loss(loss)
        self.optimizer = resolve_optimizer(optimizer, model)
        # ml.optim optimizers can reuse the gradients' memory inside the step (see
        # Optimizer.step); a duck-typed optimizer just gets step()
        self._step_kwargs = ({"consume_grads": True}
                             if _accepts(self.optimizer.step, "consume_grads") else {})
        self.metrics = [get_metric(m) for m in metrics]
        self.task = task_for_loss(self.loss)
        self.verbose = int(check("Trainer", "verbose", verbose, _VERBOSE))
        self.augment = augment
        self.clip_grad_norm = check("Trainer", "clip_grad_norm", clip_grad_norm,
                                    optional(POSITIVE))
        self.seed = seed
        streams = SeedStreams.from_seed(seed)
        self._split_seed = streams.split  # a fresh Generator per fit: the same split each time
        self._shuffle_rng = np.random.default_rng(streams.shuffle)
        self._augment_rng = np.random.default_rng(streams.augment)
        if hasattr(model, "set_rng"):
            model.set_rng(np.random.default_rng(streams.layers))
        if seed is not None and reinitialize and hasattr(model, "reset_parameters"):
            model.reset_parameters(np.random.default_rng(streams.init))
        if augment is not None and hasattr(augment, "set_rng"):
            augment.set_rng(self._augment_rng)
        self.callbacks = list(callbacks)
        self.history = History()
        self.epochs_done = 0
        self.stop_training = False
        self.divergence: str | None = None
        self.settings: FitSettings | None = None
        self.train_data: tuple[Any, Any] = (None, None)
        self._resumed = False

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

    def prepare_targets(self, y: Any, outputs: Tensor) -> Tensor:
        """Targets in the form the loss expects: class ids, or floats shaped like the output."""
        if self.task.kind == "multiclass":
            return Tensor(y)
        y = np.asarray(y, dtype=outputs.data.dtype)
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

    # ----- training -----------------------------------------------------------------------
    def fit(self, X: Any, y: Any, epochs: int = 1, batch_size: int | None = 32,
            validation_data: tuple[Any, Any] | None = None, validation_split: float = 0.0,
            shuffle: bool = True, initial_epoch: int | None = None) -> History:
        """Train for ``epochs`` epochs (counting from ``initial_epoch``); return the History.

        ``validation_split`` holds out a seeded, *stratified random* fraction of (X, y) as the
        dev set (Keras takes the last rows instead, which silently breaks on sorted data).
        After ``resume`` (or a previous ``fit``), training continues from the epochs done.
        """
        epochs = int(check("Trainer.fit", "epochs", epochs, NON_NEGATIVE_INT))
        batch_size = check("Trainer.fit", "batch_size", batch_size, optional(POSITIVE_INT))
        validation_split = float(check("Trainer.fit", "validation_split", validation_split,
                                       FRACTION))
        if validation_split and validation_data is not None:
            raise ValueError("Trainer.fit: pass either validation_data or validation_split, "
                             "not both")
        X, y = self.check_data(X, y)
        val = None
        if validation_split:
            X, y, val = self._hold_out(X, y, validation_split)
        elif validation_data is not None:
            check("Trainer.fit", "validation_data", validation_data, _VALIDATION_DATA)
            val = self.check_data(*validation_data, names=("validation X", "validation y"))
        self.train_data = (X, y)
        loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, seed=self._shuffle_rng)
        self.settings = FitSettings(epochs=epochs, steps=len(loader),
                                    batch_size=loader.batch_size, samples=X.shape[0])
        callbacks = CallbackList([self.history, *self._default_callbacks(), *self.callbacks])
        callbacks.set_trainer(self)
        self.stop_training = False
        self.divergence = None
        start = self.epochs_done if initial_epoch is None else int(initial_epoch)
        callbacks.on_train_begin()
        try:
            for epoch in range(start, epochs):
                logs = self._train_epoch(epoch, loader, callbacks)
                if self.divergence:
                    break
                if val is not None:
                    logs.update({f"val_{k}": v for k, v in self.evaluate(*val).items()})
                logs["lr"] = self.current_lr()
                self.epochs_done = epoch + 1
                callbacks.on_epoch_end(epoch, logs)
                if self.stop_training:
                    break
        finally:
            callbacks.on_train_end()
            self._resumed = False
        if self.divergence:
            raise DivergenceError(self.divergence, history=self.history)
        return self.history

    def _hold_out(self, X: Any, y: np.ndarray, fraction: float) -> tuple[Any, Any, tuple]:
        """Split off a seeded, stratified (for classifiers) dev set: ``(X, y, (X_dev, y_dev))``."""
        n_dev = math.ceil(fraction * X.shape[0])
        dev_idx, train_idx = split_indices(
            X.shape[0], [n_dev], y=y, stratify=self.task.is_classifier,
            seed=np.random.default_rng(self._split_seed))
        return X[train_idx], y[train_idx], (X[dev_idx], y[dev_idx])

    def _default_callbacks(self) -> list[Callback]:
        extra: list[Callback] = []
        if not any(isinstance(cb, TerminateOnNaN) for cb in self.callbacks):
            extra.append(TerminateOnNaN())
        if not any(isinstance(cb, ProgressBar) for cb in self.callbacks) and self.verbose:
            extra.append(ProgressBar(verbose=self.verbose))
        return extra

    def _train_epoch(self, epoch: int, loader: DataLoader, callbacks: CallbackList) -> dict:
        callbacks.on_epoch_begin(epoch)
        self.model.train()
        total, seen = 0.0, 0
        outputs, targets = [], []
        for batch, (xb, yb) in enumerate(loader):
            callbacks.on_batch_begin(batch)
            if self.augment is not None:
                xb = self.augment(xb)
            loss_value, out = self.train_step(xb, yb)
            total += loss_value * len(yb)
            seen += len(yb)
            if self.metrics:
                outputs.append(out)
                targets.append(yb)
            callbacks.on_batch_end(batch, {"loss": loss_value, "size": len(yb)})
            if self.stop_training:
                break
        logs = {"loss": total / max(seen, 1)}
        if self.metrics and outputs:
            logs.update(self._metric_values(np.concatenate(targets), np.concatenate(outputs)))
        return logs

    def train_step(self, xb: Any, yb: Any) -> tuple[float, np.ndarray]:
        """One step of gradient descent on a batch: forward, loss, backward, update."""
        outputs = self.model(Tensor(self.prepare_inputs(xb)))
        loss = self.compute_loss(outputs, self.prepare_targets(yb, outputs))
        self.optimizer.zero_grad()
        loss.backward()
        if self.clip_grad_norm is not None:
            from mlplab.nn.utils import clip_grad_norm_

            clip_grad_norm_(self.model.parameters(), self.clip_grad_norm)
        # the gradients die with this step: let the update use them as scratch space
        self.optimizer.step(**self._step_kwargs)
        return float(loss.data), outputs.data

    def current_lr(self) -> float:
        """The learning rate the optimizer's first parameter group uses now."""
        return float(self.optimizer.learning_rate(self.optimizer.param_groups[0]))

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
        X = check_array(X, name="X", ensure_2d=False)
        batch_size = self._batch_size("predict", batch_size, X)
        return forward_in_batches(self.model, X, batch_size, self.prepare_inputs)

    @staticmethod
    def _batch_size(method: str, batch_size: Any, X: Any) -> int:
        """``batch_size`` checked, or all rows of X for None."""
        batch_size = check(f"Trainer.{method}", "batch_size", batch_size, optional(POSITIVE_INT))
        return X.shape[0] if batch_size is None else int(batch_size)

    def predict(self, X: Any, batch_size: int = 1024) -> np.ndarray:
        """Class ids for classifiers, values for regression (eval mode, no graph)."""
        return self.task.predict(self.predict_raw(X, batch_size))

    def predict_proba(self, X: Any, batch_size: int = 1024) -> np.ndarray:
        """Class probabilities (n, K) — (n, 2) for binary models."""
        return self.task.proba(self.predict_raw(X, batch_size))

    def __repr__(self) -> str:
        metrics = ", ".join(m.name for m in self.metrics)
        return (f"Trainer(model={type(self.model).__name__}, loss={type(self.loss).__name__}, "
                f"optimizer={type(self.optimizer).__name__}, metrics=[{metrics}], "
                f"epochs_done={self.epochs_done})")

