"""``Trainer``: mini-batch gradient descent with callbacks, metrics and exact resume.

One epoch of mini-batch gradient descent: shuffle the m examples, cut
them into batches X^{t}, Y^{t} of size b, and for each batch

    forward:   A = model(X^{t}),  J = loss(A, Y^{t})
    backward:  dW = ∂J/∂W for every parameter (autograd)
    update:    W := W − α · (optimizer's step direction)

b = m is batch gradient descent (``batch_size=None``), b = 1 stochastic gradient
descent, anything between mini-batch descent.

The pieces live beside this file: ``task_data.py`` checks (X, y) against the loss's
task, ``evaluation.py`` evaluates and predicts (``inference.py`` runs the model in eval
mode), ``checkpointing.py`` saves and
resumes, ``seeds.py`` derives every random stream from one seed, ``initialization.py``
says when the seed may re-draw the weights, ``epochs.py`` which epochs a ``fit``
trains, ``divergence.py`` what happens when the loss stops being finite or explodes,
``interrupt.py`` what Ctrl-C does, and ``stepping.py`` one step of gradient descent
(through a ``training_plan`` where the model and loss allow).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlplab.checks import (
    BOOLEAN,
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
from mlplab.data.streaming.stream import Stream
from mlplab.train.callbacks.base import Callback, CallbackList
from mlplab.train.callbacks.history import History
from mlplab.train.callbacks.progress import ProgressBar
from mlplab.train.checkpointing import Checkpointing
from mlplab.train.divergence import (
    DivergenceError,
    ExplosionWatch,
    NonFiniteLoss,
    divergence_message,
    first_non_finite,
)
from mlplab.train.epochs import epochs_to_train
from mlplab.train.evaluation import Evaluation
from mlplab.train.initialization import draws_initial_weights
from mlplab.train.interrupt import InterruptRequest, TrainingInterrupted, deferred_interrupt
from mlplab.train.metrics import get_metric
from mlplab.train.resolve import resolve_loss, resolve_optimizer
from mlplab.train.seeds import SeedStreams
from mlplab.train.stepping import Stepping
from mlplab.train.stream_fit import continue_position, stream_loader, stream_position
from mlplab.train.tasks import task_for_loss
from mlplab.train.training_plan import release_plan

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


class Trainer(Stepping, Evaluation, Checkpointing):
    """Fit, evaluate and use a model (Keras-style ``fit``; PyTorch-style pieces underneath).

    Args:
        model: an ``ml.nn.Module``.
        loss: a loss module (``ml.nn.CrossEntropyLoss()``) or its name ('cross_entropy',
            'mse', 'bce_with_logits', …). The loss also tells the task: cross-entropy/NLL/
            multi-margin → classification, BCE/hinge → binary, otherwise regression.
        optimizer: an ``ml.optim`` optimizer over ``model.parameters()``, or a name
            ('adam', 'sgd', …) to build one with its default learning rate.
        metrics: names ('accuracy', 'f1', 'mae', …) or callables ``f(y_true, y_score)``.
        callbacks: ``ml.train.callbacks`` instances. A ``ProgressBar(verbose)`` is added
            unless you pass your own.
        seed: one seed for everything random: shuffling, dropout/RReLU/noise, augmentation,
            the validation split and the initial weights of a fresh model (re-drawn when
            the Trainer is created; see ``reinitialize``). The same seed gives a
            bit-identical History.
        verbose: 0 silent, 1 live progress bar (terminals only), 2 one line per epoch.
        augment: optional callable applied to each training batch of X (e.g.
            ``ml.data.Augmenter``); it receives its own generator from ``seed``.
        clip_grad_norm: if set, rescale gradients to this global L2 norm before each step.
        reinitialize: None (default): with a seed, re-draw the weights of a *fresh* model
            only — never those of a model that was loaded (``ml.load``, ``load_state_dict``),
            trained by a Trainer, or whose optimizer has stepped. True: always re-draw
            (from ``seed``, or fresh entropy); False: never.
    """

    def __init__(self, model: Any, loss: Any, optimizer: Any, metrics: Iterable[Any] = (),
                 callbacks: Iterable[Callback] = (), seed: int | None = None, verbose: int = 1,
                 augment: Callable[[Any], Any] | None = None, clip_grad_norm: float | None = None,
                 reinitialize: bool | None = None) -> None:
        self.model = check("Trainer", "model", model, _MODEL)
        reinitialize = check("Trainer", "reinitialize", reinitialize, optional(BOOLEAN))
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
        if draws_initial_weights(model, self.optimizer, seed, reinitialize):
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
        self._streaming = False  # fitting on a Stream: no per-epoch outputs are kept
        self._loader: Any = None
        # a stream epoch in progress: (epoch, loss sum, rows seen), for mid-epoch checkpoints
        self._stream_progress: tuple[int, float, int] | None = None
        self._resume_at: dict[str, Any] | None = None  # the mid-epoch position to continue
        self.position = (0, 0)  # (epoch, batch) being trained, counting from 0
        self._resumed = False
        self._explosion = ExplosionWatch()
        self._last_finite_loss: float | None = None
        self._interrupt = InterruptRequest()

    # ----- training -----------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None, epochs: int = 1, batch_size: int | None = 32,
            validation_data: tuple[Any, Any] | None = None, validation_split: float = 0.0,
            shuffle: bool = True, initial_epoch: int | None = None) -> History:
        """Train until epoch ``epochs`` is reached (Keras's meaning); return the History.

        ``epochs`` counts every epoch of this Trainer: after 3 epochs (or a ``resume`` at
        epoch 3), ``fit(epochs=5)`` trains epochs 4 and 5, and a fit with nothing left to
        train raises ``ParameterError`` (``epochs=0`` asks for none: it trains nothing).
        ``initial_epoch`` (Keras) starts the count
        elsewhere, never before the epochs already done (see ``epochs.py``).

        ``validation_split`` holds out a seeded, *stratified random* fraction of (X, y) as the
        dev set (Keras takes the last rows instead, which silently breaks on sorted data).

        Raises:
            DivergenceError: the loss or the outputs became NaN/inf (no step is taken on
                that batch; the message names the epoch, the batch and the first layer with
                a non-finite output).
            TrainingInterrupted: Ctrl-C; training stopped after the current batch and
                ``.checkpoint`` names the file to resume from (see ``interrupt.py``).
        """
        epochs = int(check("Trainer.fit", "epochs", epochs, NON_NEGATIVE_INT))
        to_train = epochs_to_train(epochs, initial_epoch, self.epochs_done)
        loader, val = self._prepare_fit(X, y, epochs, batch_size, validation_data,
                                        validation_split, shuffle)
        self._loader, self._stream_progress = loader, None
        self._resume_at = continue_position(self._saved_position, loader, self._streaming,
                                            to_train)
        self._saved_position = None
        callbacks = CallbackList([self.history, *self._default_callbacks(), *self.callbacks])
        callbacks.set_trainer(self)
        self.stop_training = False
        self.divergence = None
        self._last_finite_loss = None
        interrupted: TrainingInterrupted | None = None
        callbacks.on_train_begin()
        try:
            with deferred_interrupt() as self._interrupt:
                self._run_epochs(to_train, loader, val, callbacks)
        except KeyboardInterrupt:
            interrupted = self._interrupted(callbacks)
        finally:
            callbacks.on_train_end()
            self._resumed = False
            release_plan(self.model)  # the arrays the training step kept between batches
            self._layerwise_steps = None  # and the gradient arrays of its update
        if interrupted is not None:
            raise interrupted from None
        if self.divergence:
            raise DivergenceError(self.divergence, history=self.history)
        return self.history

    def _prepare_fit(self, X: Any, y: Any, epochs: int, batch_size: Any, validation_data: Any,
                     validation_split: Any, shuffle: bool) -> tuple[DataLoader, Any]:
        """Check the data and the fit's arguments; return the loader and the dev set."""
        batch_size = check("Trainer.fit", "batch_size", batch_size, optional(POSITIVE_INT))
        validation_split = float(check("Trainer.fit", "validation_split", validation_split,
                                       FRACTION))
        self._streaming = isinstance(X, Stream)
        if self._streaming:
            # train_data: the first rows only, for ActivationStats' probe
            loader, val, self.train_data = stream_loader(self, X, y, batch_size,
                                                         validation_data, validation_split,
                                                         shuffle)
            self.settings = FitSettings(epochs=epochs, steps=len(loader),
                                        batch_size=loader.batch_size, samples=X.n_rows)
            return loader, val
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
        return loader, val

    def _hold_out(self, X: Any, y: np.ndarray, fraction: float) -> tuple[Any, Any, tuple]:
        """Split off a seeded, stratified (for classifiers) dev set: ``(X, y, (X_dev, y_dev))``."""
        n_dev = math.ceil(fraction * X.shape[0])
        dev_idx, train_idx = split_indices(
            X.shape[0], [n_dev], y=y, stratify=self.task.is_classifier,
            seed=np.random.default_rng(self._split_seed))
        return X[train_idx], y[train_idx], (X[dev_idx], y[dev_idx])

    def _default_callbacks(self) -> list[Callback]:
        if not any(isinstance(cb, ProgressBar) for cb in self.callbacks) and self.verbose:
            return [ProgressBar(verbose=self.verbose)]
        return []

    def _run_epochs(self, epochs: range, loader: DataLoader, val: Any,
                    callbacks: CallbackList) -> None:
        for epoch in epochs:
            logs = self._train_epoch(epoch, loader, callbacks)
            if self.divergence:
                return
            if val is not None:
                logs.update({f"val_{k}": v for k, v in self.evaluate(*val).items()})
            logs["lr"] = self.current_lr()
            self.epochs_done = epoch + 1
            callbacks.on_epoch_end(epoch, logs)
            self._explosion.see_epoch(epoch, logs["loss"])
            if self.stop_training:
                return

    def _train_epoch(self, epoch: int, loader: DataLoader, callbacks: CallbackList) -> dict:
        first, total, seen = 0, 0.0, 0
        if self._resume_at is not None and self._resume_at["epoch"] == epoch:
            at, self._resume_at = self._resume_at, None  # continue a stream epoch mid-way
            first, total, seen = at["loader"]["batches_done"], at["loss_sum"], at["seen"]
        self.position = (epoch, first)
        callbacks.on_epoch_begin(epoch)
        self.model.train()
        outputs, targets = [], []
        for batch, (xb, yb) in enumerate(loader, first):
            self.position = (epoch, batch)
            callbacks.on_batch_begin(batch)
            if self.augment is not None:
                xb = self.augment(xb)
            try:
                loss_value, out = self.train_step(xb, yb)
            except NonFiniteLoss as bad:  # checked before the metrics, which would choke
                self._stream_progress = None
                self._diverged(bad.loss, xb)
                return {}
            self._last_finite_loss = loss_value
            self._explosion.see_batch(loss_value)
            total += loss_value * len(yb)
            seen += len(yb)
            if self._streaming:
                self._stream_progress = (epoch, total, seen)
            if self.metrics and not self._streaming:
                outputs.append(out)
                targets.append(yb)
            callbacks.on_batch_end(batch, {"loss": loss_value, "size": len(yb)})
            if self._interrupt.requested:
                raise KeyboardInterrupt  # the deferred Ctrl-C, at the end of this batch
            if self.stop_training:
                break
        self._stream_progress = None  # the epoch is over: checkpoints hold no position
        logs = {"loss": total / max(seen, 1)}
        if self.metrics and outputs:  # none are kept on a stream (see stream_fit.py)
            logs.update(self._metric_values(np.concatenate(targets), np.concatenate(outputs)))
        return logs

    def _diverged(self, loss: float, xb: Any) -> None:
        """Stop training and word the DivergenceError ``fit`` raises after ``on_train_end``."""
        try:
            where = first_non_finite(self.model, self.prepare_inputs(xb))
        except Exception as err:  # the diagnosis must not hide the divergence itself
            where = f"an unknown place (the diagnosis failed: {type(err).__name__})"
        saved = [cb.last_saved for cb in self.callbacks if getattr(cb, "last_saved", None)]
        epoch, batch = self.position
        self.divergence = divergence_message(epoch, batch, loss, self._last_finite_loss, where,
                                             saved[0] if saved else None)
        self.stop_training = True

    def _interrupted(self, callbacks: CallbackList) -> TrainingInterrupted:
        """After Ctrl-C: let callbacks keep a checkpoint; the exception ``fit`` raises."""
        epoch, batch = self.position
        self.history.stopped_reason = f"interrupted at epoch {epoch + 1}, batch {batch + 1}"
        callbacks.on_interrupt(epoch, batch)
        keepers = [cb for cb in self.callbacks if getattr(cb, "resume_path", None)]
        # all hold the same state; prefer a regular checkpoint to one written just now
        keepers.sort(key=lambda cb: cb.resume_path != getattr(cb, "last_saved", None))
        return TrainingInterrupted(epoch + 1, batch + 1,
                                   keepers[0].resume_path if keepers else None, self.history)

    @property
    def streaming(self) -> bool:
        """True while (or after) fitting on a Stream rather than on arrays in memory."""
        return self._streaming

    def stream_position(self) -> dict[str, Any] | None:
        """Where the stream epoch in progress stands (for a checkpoint), else None."""
        if self._stream_progress is not None:
            return stream_position(self._loader, *self._stream_progress)
        return self._resume_at or self._saved_position  # loaded, not yet continued

    def current_lr(self) -> float:
        """The learning rate the optimizer's first parameter group uses now."""
        return float(self.optimizer.learning_rate(self.optimizer.param_groups[0]))

    def __repr__(self) -> str:
        metrics = ", ".join(m.name for m in self.metrics)
        return (f"Trainer(model={type(self.model).__name__}, loss={type(self.loss).__name__}, "
                f"optimizer={type(self.optimizer).__name__}, metrics=[{metrics}], "
                f"epochs_done={self.epochs_done})")

