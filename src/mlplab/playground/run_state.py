"""``PlaygroundRun``: one network, its data and its training, without threads.

The worker thread of :mod:`.session` owns one run and calls it between commands. One
mini-batch step is::

    model.train(); opt.zero_grad(); L = loss(model(X_B), T_B); L.backward()
    [clip ‖∇‖ to c]; opt.step(); penalty step on the weights (L1 / L2, TF's order)

A NaN/inf loss skips ``opt.step()`` and records in ``diverged`` the neurons and links
that blew up on that batch (:mod:`.divergence`); the next good step clears it.

Batches visit the training points in a fixed order (TF) or a fresh permutation each
epoch (``reshuffle``), drawn from a generator seeded by the init seed; a last partial
batch is a smaller batch. So the weights after N epochs depend only on the config:
:mod:`.python_snippet` repeats the same loop and gets the same bits.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from mlplab.autograd.grad_mode import no_grad
from mlplab.autograd.tensor import Tensor
from mlplab.nn.utils import clip_grad_norm_
from mlplab.playground import model_builder as mb
from mlplab.playground.config import PlaygroundConfig
from mlplab.playground.datasets import PlaygroundData, make_data
from mlplab.playground.divergence import affected
from mlplab.train.callbacks.early_stopping import EarlyStopping
from mlplab.train.training_plan import plan_for


def order_generator(config: PlaygroundConfig) -> np.random.Generator:
    """The generator of the batch order (one permutation per epoch when reshuffling)."""
    return np.random.default_rng([config.init_seed, 0])


class PlaygroundRun:
    """Model, optimizer, data and counters of one playground run."""

    def __init__(self, config: PlaygroundConfig, data: PlaygroundData | None = None) -> None:
        self.config = config
        self.data = make_data(config) if data is None else data
        self.data_version = 0
        self.generation = 0  # +1 at every reset: the scalars start again
        self.message: dict[str, str] | None = None
        self.reset()

    # ----- building
    def reset(self) -> None:
        """Fresh weights from the init seed; epoch 0; the data are kept."""
        config = self.config
        self.prepare_data()
        self.model = mb.build_model(config)
        self.training = True  # a new Module starts in training mode
        self.optimizer = mb.build_optimizer(config, self.model, self.steps_per_epoch())
        self.loss_fn = mb.make_loss(config)
        self.dead: list[np.ndarray | None] = [None] * len(mb.weight_layers(self.model))
        self.order_rng = order_generator(config)
        self.epoch = self.iteration = self.cursor = 0
        self.order = np.arange(len(self.train_x))
        self.scalars: list[dict[str, Any]] = []
        self.epoch_ms = 0.0
        self.early_stopping: EarlyStopping | None = None  # made by the session on demand
        self.message = None
        self.diverged: dict[str, Any] | None = None  # what blew up in a skipped step
        self.generation += 1

    def prepare_data(self) -> None:
        """Feature matrices and loss targets of the current data."""
        names, data = self.config.features(), self.data
        self.scaling = mb.feature_scaling(data.train_x, names) if self.config.standardize \
            and len(data.train_x) else None
        self.train_x = mb.feature_matrix(data.train_x, names, self.scaling)
        self.test_x = mb.feature_matrix(data.test_x, names, self.scaling) \
            if len(data.test_x) else np.zeros((0, len(names)), np.float32)
        self.train_t = mb.targets(self.config, data.train_y)
        self.test_t = mb.targets(self.config, data.test_y)

    def set_data(self, data: PlaygroundData) -> None:
        """New points, same network (regenerate, add/remove a point, upload)."""
        self.data = data
        self.data_version += 1
        self.prepare_data()
        self.cursor = 0
        self.order = np.arange(len(self.train_x))

    def steps_per_epoch(self) -> int:
        return mb.steps_per_epoch(self.config, len(self.data.train_x))

    def current_lr(self) -> float:
        lr = self.optimizer.param_groups[0]["lr"]
        return float(lr(self.optimizer.step_count) if callable(lr) else lr)

    def lr_plan(self, points: int = 201) -> dict[str, list]:
        """The schedule's lr at the end of epochs 0…H, H = max(100, 2·epoch), from the
        optimizer's own schedule (so it equals the scalars' ``lr`` on the epochs run);
        at most ``points`` epochs, evenly spaced, so a long run stays cheap to send."""
        lr, steps = self.optimizer.param_groups[0]["lr"], self.steps_per_epoch()
        horizon = max(100, 2 * self.epoch)
        epochs = np.unique(np.linspace(0, horizon, min(points, horizon + 1)).round())
        epochs = [int(e) for e in epochs]
        return {"epochs": epochs, "lr": [float(lr(e * steps)) if callable(lr) else float(lr)
                                         for e in epochs]}

    # ----- training
    def train_batch(self) -> float:
        """One mini-batch step; returns its loss (NaN/inf when training diverged)."""
        n = len(self.train_x)
        if n == 0:
            raise ValueError("the training set is empty: add points or raise percTrainData")
        if self.cursor == 0:
            self.order = self.order_rng.permutation(n) if self.config.reshuffle \
                else np.arange(n)
        size = self.config.batch_size or n
        index = self.order[self.cursor:self.cursor + size]
        model, opt = self.model, self.optimizer
        if not self.training:  # switching modes walks every module: only when it changed
            model.train()
            self.training = True
        x, t = self.train_x[index], self.train_t[index]
        value = self.forward_backward(x, t)
        if not np.isfinite(value):  # skip the step; name what blew up for the page
            self.diverged = affected(self, x, t)
            return value
        self.diverged = None
        if self.config.clip > 0:
            clip_grad_norm_(model.parameters(), self.config.clip)
        lr = self.current_lr()
        terms = mb.penalty_terms(self.config, model)  # at the weights before the step
        opt.step()
        mb.regularize(self.config, model, lr, self.dead, terms)
        self.iteration += 1
        self.cursor += len(index)
        if self.cursor >= n:
            self.cursor = 0
            self.epoch += 1
        return value

    def forward_backward(self, x: np.ndarray, t: np.ndarray) -> float:
        """L = loss(model(x), t) and, when L is finite, every parameter's ∂L/∂θ in .grad
        (through the model's training plan where it applies: the same numbers)."""
        self.optimizer.zero_grad()
        plan = plan_for(self.model, self.loss_fn)
        value = None
        if plan is not None and plan.takes(x):
            plan.forward(x)
            value = plan.loss(t)
        if value is not None:
            if np.isfinite(value):
                plan.backward()
            return value
        loss = self.loss_fn(self.model(Tensor(x)), Tensor(t))
        value = float(loss.item())
        if np.isfinite(value):
            loss.backward()
        return value

    def train_epoch(self) -> float:
        """Batches until the epoch ends (from wherever a step_batch left it)."""
        start, first = time.perf_counter(), self.epoch
        value = 0.0
        while self.epoch == first:
            value = self.train_batch()
            if not np.isfinite(value):
                return value
        self.epoch_ms = (time.perf_counter() - start) * 1e3
        self.record_epoch()
        return value

    # ----- evaluation
    def eval_mode(self) -> None:
        """Evaluation mode (dropout and noise off, BatchNorm's running statistics)."""
        if self.training:
            self.model.eval()
            self.training = False

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The model's output at feature rows ``x`` (eval mode, no graph)."""
        self.eval_mode()
        with no_grad():
            out = self.model(Tensor(x)).data
        return np.asarray(out, dtype=np.float64)

    def losses(self, x: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
        if len(x) == 0:
            return float("nan"), np.zeros((0, 1))
        self.eval_mode()
        with no_grad():
            out = self.model(Tensor(x))
            value = float(self.loss_fn(out, Tensor(t)).item())
        return value, np.asarray(out.data, dtype=np.float64)

    def record_epoch(self) -> dict[str, Any]:
        """Append this epoch's scalars (losses, metrics, lr) and return them."""
        from mlplab.playground.metrics import epoch_metrics

        loss, train_out = self.losses(self.train_x, self.train_t)
        test_loss, test_out = self.losses(self.test_x, self.test_t)
        row = {"epoch": self.epoch, "loss": loss, "test_loss": test_loss,
               "lr": self.current_lr()}
        row.update(epoch_metrics(self.config, self.data, train_out, test_out))
        self.scalars.append(row)
        return row

    def weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(m.weight.data.copy(), m.bias.data.copy()) for m in
                mb.weight_layers(self.model)]

    def load_weights(self, saved: list[np.ndarray]) -> None:
        for p, value in zip(self.model.parameters(), saved, strict=True):
            p.data[...] = value
