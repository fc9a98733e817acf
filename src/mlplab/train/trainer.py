"""``Trainer``: mini-batch gradient descent with callbacks, metrics and exact resume.

One epoch of mini-batch descent (the notes' 2.2.1): shuffle the m examples, cut
them into batches X^{t}, Y^{t} of size b, and for each batch

    forward:   A = model(X^{t}),  J = loss(A, Y^{t})
    backward:  dW = ∂J/∂W for every parameter (autograd)
    update:    W := W − α · (optimizer's step direction)

b = m is batch gradient descent (``batch_size=None``), b = 1 stochastic gradient
descent, anything between mini-batch descent.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.data.loader import DataLoader
from mlplab.data.preprocessing import split_indices
from mlplab.data.validation import check_array, check_fraction, check_labels, is_sparse
from mlplab.train.callbacks.base import Callback, CallbackList
from mlplab.train.callbacks.history import History
from mlplab.train.callbacks.progress import ProgressBar
from mlplab.train.callbacks.terminate_on_nan import DivergenceError, TerminateOnNaN
from mlplab.train.metrics import get_metric
from mlplab.train.resolve import resolve_loss, resolve_optimizer
from mlplab.train.tasks import task_for_loss


def _check_epochs(epochs: Any) -> int:
    if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
        raise ValueError(f"epochs: expected an integer >= 0, received {epochs!r}")
    return int(epochs)


def _check_batch_size(batch_size: Any) -> int | None:
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer) \
            or batch_size <= 0:
        raise ValueError(
            f"batch_size: expected a positive integer (or None for the full batch), "
            f"received {batch_size!r}"
        )
    return int(batch_size)


def _accepts(fn: Any, keyword: str) -> bool:
    try:
        return keyword in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _take_rows(X: Any, idx: Any) -> Any:
    return X[idx]


class Trainer:
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
        if not hasattr(model, "parameters") or not callable(model):
            raise TypeError(f"model: expected an ml.nn.Module, received {type(model).__name__}")
        self.model = model
        self.loss = resolve_loss(loss)
        self.optimizer = resolve_optimizer(optimizer, model)
        # ml.optim optimizers can reuse the gradients' memory inside the step (see
        # Optimizer.step); a duck-typed optimizer just gets step()
        self._step_kwargs = ({"consume_grads": True}
                             if _accepts(self.optimizer.step, "consume_grads") else {})
        self.metrics = [get_metric(m) for m in metrics]
        self.task = task_for_loss(self.loss)
        self.verbose = int(verbose)
        self.augment = augment
        if clip_grad_norm is not None and not clip_grad_norm > 0:
            raise ValueError(f"clip_grad_norm: expected a positive number or None, "
                             f"received {clip_grad_norm!r}")
        self.clip_grad_norm = clip_grad_norm
        self.seed = seed
        streams = np.random.SeedSequence(seed).spawn(5)
        self._split_seed = streams[4]
        self._shuffle_rng = np.random.default_rng(streams[0])
        self._augment_rng = np.random.default_rng(streams[2])
        if hasattr(model, "set_rng"):
            model.set_rng(np.random.default_rng(streams[1]))
        if seed is not None and reinitialize and hasattr(model, "reset_parameters"):
            model.reset_parameters(np.random.default_rng(streams[3]))
        if augment is not None and hasattr(augment, "set_rng"):
            augment.set_rng(self._augment_rng)
        self.callbacks = list(callbacks)
        self.history = History()
        self.epochs_done = 0
        self.stop_training = False
        self.divergence: str | None = None
        self.params: dict[str, Any] = {}
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

    def _output_width(self, X: Any) -> int:
        with no_grad():
            was_training = self.model.training
            self.model.eval()
            try:
                out = self.model(Tensor(self.prepare_inputs(X[:2])))
            finally:
                self.model.train(was_training)
        return out.shape[1] if out.ndim == 2 else 1

    def check_data(self, X: Any, y: Any, names: tuple[str, str] = ("X", "y")) -> tuple[Any, Any]:
        """Validate X and y at the public boundary; return them ready for training."""
        X = check_array(X, name=names[0], ensure_2d=False)
        if X.ndim == 1:
            raise ValueError(f"{names[0]}: expected 2-D features (n_samples, n_features), got "
                             f"shape {X.shape}; use {names[0]}.reshape(-1, 1) for one feature")
        if y is None:
            raise ValueError(f"{names[1]}: targets are required to train or evaluate")
        y_arr = np.asarray(y)
        if y_arr.ndim == 0 or len(y_arr) != X.shape[0]:
            got = "a scalar" if y_arr.ndim == 0 else f"{len(y_arr)} rows"
            raise ValueError(f"{names[0]} and {names[1]} have different lengths: {names[0]} "
                             f"has {X.shape[0]} rows, {names[1]} has {got}; pass one target "
                             "per sample")
        width = self._output_width(X)
        if self.task.kind == "multiclass":
            y_arr = check_labels(y_arr, name=names[1], num_classes=width)
        elif self.task.kind == "binary":
            y_arr = self._binary_labels(y_arr, names[1])
        elif y_arr.dtype.kind not in "biuf" or not np.isfinite(y_arr.astype(float)).all():
            raise ValueError(f"{names[1]}: regression targets must be finite numbers")
        if not is_sparse(X) and X.dtype != self.dtype:
            X = X.astype(self.dtype)
        return X, y_arr

    def _binary_labels(self, y: np.ndarray, name: str) -> np.ndarray:
        values = set(np.unique(y).tolist())
        allowed = ({0, 1}, {-1, 1}) if self.task.activation == "margin" else ({0, 1},)
        if not any(values <= a for a in allowed):
            shown = sorted(values)[:5]
            expected = " or ".join(str(sorted(a)) for a in allowed)
            raise ValueError(
                f"{name}: a binary loss needs labels in {expected},"
                f" found {shown}; map the two classes to 0 and 1"
            )
        return y.astype(self.dtype)

    # ----- training -----------------------------------------------------------------------
    def fit(self, X: Any, y: Any, epochs: int = 1, batch_size: int | None = 32,
            validation_data: tuple[Any, Any] | None = None, validation_split: float = 0.0,
            shuffle: bool = True, initial_epoch: int | None = None) -> History:
        """Train for ``epochs`` epochs (counting from ``initial_epoch``); return the History.

        ``validation_split`` holds out a seeded, *stratified random* fraction of (X, y) as the
        dev set (Keras takes the last rows instead, which silently breaks on sorted data).
        After ``resume`` (or a previous ``fit``), training continues from the epochs done.
        """
        epochs = _check_epochs(epochs)
        batch_size = _check_batch_size(batch_size)
        validation_split = check_fraction(validation_split, "validation_split")
        if validation_split and validation_data is not None:
            raise ValueError("pass either validation_data or validation_split, not both")
        X, y = self.check_data(X, y)
        val = None
        if validation_split:
            n_dev = math.ceil(validation_split * X.shape[0])
            dev_idx, train_idx = split_indices(
                X.shape[0], [n_dev], y=y, stratify=self.task.is_classifier,
                seed=np.random.default_rng(self._split_seed))
            val = (_take_rows(X, dev_idx), y[dev_idx])
            X, y = _take_rows(X, train_idx), y[train_idx]
        elif validation_data is not None:
            if not (isinstance(validation_data, tuple | list) and len(validation_data) == 2):
                raise ValueError("validation_data: expected a pair (X_dev, y_dev)")
            val = self.check_data(*validation_data, names=("validation X", "validation y"))
        self.train_data = (X, y)
        loader = DataLoader(X, y, batch_size=batch_size, shuffle=shuffle, seed=self._shuffle_rng)
        self.params = {"epochs": epochs, "steps": len(loader), "batch_size": loader.batch_size,
                       "samples": X.shape[0]}
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
    def _forward_batches(self, X: Any, batch_size: int) -> np.ndarray:
        model = self.model
        was_training = model.training
        model.eval()
        try:
            with no_grad():
                if X.shape[0] <= batch_size:  # one batch (batch-1 prediction): no copies
                    return model(Tensor(self.prepare_inputs(X))).data
                parts = [model(Tensor(self.prepare_inputs(X[i:i + batch_size]))).data
                         for i in range(0, X.shape[0], batch_size)]
        finally:
            if was_training:  # else the model is already where train(False) would leave it
                model.train()
        return np.concatenate(parts)

    def evaluate(self, X: Any, y: Any, batch_size: int = 1024) -> dict[str, float]:
        """Loss and metrics on (X, y), in eval mode without recording a graph."""
        X, y = self.check_data(X, y)
        batch_size = _check_batch_size(batch_size) or X.shape[0]
        outputs = self._forward_batches(X, batch_size)
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
        return self._forward_batches(X, _check_batch_size(batch_size) or X.shape[0])

    def predict(self, X: Any, batch_size: int = 1024) -> np.ndarray:
        """Class ids for classifiers, values for regression (eval mode, no graph)."""
        return self.task.predict(self.predict_raw(X, batch_size))

    def predict_proba(self, X: Any, batch_size: int = 1024) -> np.ndarray:
        """Class probabilities (n, K) — (n, 2) for binary models."""
        return self.task.proba(self.predict_raw(X, batch_size))

    # ----- checkpoints ------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue training exactly: weights, optimizer, RNGs, history."""
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "epochs_done": self.epochs_done,
            "history": self.history.state_dict(),
            "rng": {"shuffle": self._shuffle_rng.bit_generator.state,
                    "augment": self._augment_rng.bit_generator.state,
                    "modules": self.model.rng_state()},
            "callbacks": [cb.state_dict() for cb in self.callbacks],
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.epochs_done = int(state["epochs_done"])
        self.history.load_state_dict(state["history"])
        self._shuffle_rng.bit_generator.state = state["rng"]["shuffle"]
        self._augment_rng.bit_generator.state = state["rng"]["augment"]
        self.model.set_rng_state(state["rng"]["modules"])
        for cb, cb_state in zip(self.callbacks, state.get("callbacks", []), strict=False):
            cb.load_state_dict(cb_state)
        self._resumed = True

    def save_checkpoint(self, path: str | Path, epoch: int | None = None) -> Path:
        """Write ``state_dict()`` atomically to ``path`` (safetensors + JSON, never pickle)."""
        from mlplab.io import save_state

        return save_state(self.state_dict(), path, kind="checkpoint")

    def resume(self, path: str | Path) -> Trainer:
        """Load a checkpoint written by ``ModelCheckpoint``/``save_checkpoint``; ``fit`` then
        continues from the saved epoch as if training had never stopped."""
        from mlplab.io import load_state

        self.load_state_dict(load_state(path, kind="checkpoint"))
        return self

    def __repr__(self) -> str:
        metrics = ", ".join(m.name for m in self.metrics)
        return (f"Trainer(model={type(self.model).__name__}, loss={type(self.loss).__name__}, "
                f"optimizer={type(self.optimizer).__name__}, metrics=[{metrics}], "
                f"epochs_done={self.epochs_done})")

