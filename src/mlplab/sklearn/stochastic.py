"""Mini-batch training with scikit-learn's stopping rule (solvers 'sgd', 'adam', …).

Each epoch shuffles the m training examples (``shuffle=True``), cuts them into
batches of b = ``batch_size`` ('auto': min(200, m)) and takes one optimizer step per
batch. After the epoch, with L_e the mean training cost of epoch e:

* ``early_stopping=False``: epoch e is *no improvement* when L_e > best_loss − tol;
* ``early_stopping=True``: a stratified ``validation_fraction`` is held out and epoch
  e is no improvement when its validation score (accuracy or R²) < best + tol; the
  best weights are restored at the end.

More than ``n_iter_no_change`` epochs in a row without improvement stop training
(with ``learning_rate='adaptive'`` and ``solver='sgd'``, divide the learning rate by
5 instead, until it falls below 1e-6). Reaching ``max_iter`` epochs first warns
with a ``ConvergenceWarning``, as scikit-learn does.

The training loop is written here, not with ``ml.train.Trainer``: a scikit-learn
estimator is refitted thousands of times on tiny data (grid searches, cross-validation),
where a plain loop over ``ml.nn`` and ``ml.optim`` costs less per step.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from mlplab.optim import Adadelta, Adagrad, AdamW, RMSprop
from mlplab.sklearn.adam import SklearnAdam
from mlplab.sklearn.network import linear_layers
from mlplab.sklearn.objective import add_penalty_gradients, data_loss
from mlplab.sklearn.sgd import SklearnSGD

_OTHER_OPTIMIZERS = {"adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad,
                     "adadelta": Adadelta}


def make_optimizer(est: Any, params: list[Any]) -> Any:
    """The ``ml.optim`` optimizer for ``solver`` with scikit-learn's hyper-parameters."""
    lr = est.learning_rate if callable(est.learning_rate) else est.learning_rate_init
    if est.solver == "sgd":
        nesterov = bool(est.nesterovs_momentum and est.momentum > 0)
        return SklearnSGD(params, lr=lr, momentum=est.momentum, nesterov=nesterov)
    if est.solver == "adam":
        return SklearnAdam(params, lr=lr, betas=(est.beta_1, est.beta_2), eps=est.epsilon)
    if est.solver == "adamw":
        return AdamW(params, lr=lr, betas=(est.beta_1, est.beta_2), eps=est.epsilon)
    return _OTHER_OPTIMIZERS[est.solver](params, lr=lr)


def _batch_size(est: Any, n: int) -> int:
    if est.batch_size == "auto":
        return min(200, n)
    if est.batch_size > n:
        warnings.warn("Got `batch_size` less than 1 or larger than sample size. "
                      "It is going to be clipped", stacklevel=5)
    return int(np.clip(est.batch_size, 1, n))


def _split(est: Any, X: Any, Y: Any, y: Any, w: Any) -> tuple[tuple, tuple | None]:
    """(X, Y, w) to train on, and (X, y, w) to validate on with ``early_stopping``."""
    if not est.early_stopping:
        return (X, Y, w), None
    stratify = y if est._stratify else None
    parts = train_test_split(X, Y, y, *([] if w is None else [w]), stratify=stratify,
                             random_state=est._random_state, test_size=est.validation_fraction)
    if parts[1].shape[0] < 2:
        raise ValueError("The validation set is too small. Increase 'validation_fraction' "
                         "or the size of your dataset.")
    w_train, w_val = (None, None) if w is None else (parts[6], parts[7])
    return (parts[0], parts[2], w_train), (parts[1], parts[5], w_val)


def _epoch(est: Any, X: Any, Y: Any, w: Any, batch: int, order: Any) -> float:
    """One pass over (X, Y) in ``order`` (None: as stored); returns the mean cost L_e."""
    model, opt, out = est.model_, est._optimizer, est.out_activation_
    weights = [layer.weight for layer in linear_layers(model)]
    n = X.shape[0]
    total = 0.0
    for start in range(0, n, batch):
        rows = slice(start, start + batch) if order is None else order[start:start + batch]
        xb, yb, wb = X[rows], Y[rows], None if w is None else w[rows]
        opt.zero_grad()
        cost = data_loss(out, model(xb), yb, wb)
        cost.backward()
        scale = 1.0 / (len(yb) if wb is None else float(wb.sum()))
        penalty = add_penalty_gradients(weights, est.alpha, est.l1, scale)
        opt.step()
        total += (float(cost.data) + penalty) * len(yb)
    return total / n


def _improved(est: Any, val: tuple | None) -> bool:
    """Update best_loss_ / validation_scores_; True when this epoch counts as progress."""
    if val is None:
        loss = est.loss_curve_[-1]
        better = not loss > est.best_loss_ - est.tol
        est.best_loss_ = min(est.best_loss_, loss)
        return better
    model = est.model_
    score = est._score(val[0], val[1], sample_weight=val[2])
    model.train()
    est.validation_scores_.append(score)
    if est.verbose:
        print(f"Validation score: {score:f}")
    better = not score < est.best_validation_score_ + est.tol
    if score > est.best_validation_score_:
        est.best_validation_score_ = score
        est._best_state = {k: np.copy(v) for k, v in model.state_dict().items()}
    return better


def _plateau(est: Any) -> bool:
    """After ``n_iter_no_change`` bad epochs: True to stop, False to go on (adaptive lr)."""
    what = "Validation score" if est.early_stopping else "Training loss"
    message = (f"{what} did not improve more than tol={est.tol:f} for "
               f"{est.n_iter_no_change} consecutive epochs.")
    group = est._optimizer.param_groups[0]
    if est.solver == "sgd" and est.learning_rate == "adaptive" and group["lr"] > 1e-6:
        group["lr"] = group["lr"] / 5.0
        if est.verbose:
            print(message + f" Setting learning rate to {group['lr']:f}")
        return False
    if est.verbose:
        print(message + " Stopping.")
    return True


def fit_stochastic(est: Any, X: Any, Y: Any, y: Any, w: Any, incremental: bool) -> None:
    """Train ``est.model_`` epoch by epoch until the stopping rule or ``max_iter``."""
    if not incremental or not hasattr(est, "_optimizer"):
        est._optimizer = make_optimizer(est, list(est.model_.parameters()))
    if est.early_stopping and incremental:
        raise ValueError("partial_fit does not support early_stopping=True")
    train, val = _split(est, X, Y, y, w)
    batch = _batch_size(est, train[0].shape[0])
    est.model_.train()
    est.n_iter_ = 0
    order = np.arange(train[0].shape[0])
    for _ in range(est.max_iter):
        if est.shuffle:  # as scikit-learn: permute the previous epoch's order
            order = order[est._random_state.permutation(len(order))]
        est.loss_ = _epoch(est, *train, batch, order if est.shuffle else None)
        est.n_iter_ += 1
        est.t_ += train[0].shape[0]
        est.loss_curve_.append(est.loss_)
        if est.verbose:
            print(f"Iteration {est.n_iter_}, loss = {est.loss_:.8f}")
        est._no_improvement_count = 0 if _improved(est, val) else est._no_improvement_count + 1
        if est.solver == "sgd" and est.learning_rate == "invscaling":
            est._optimizer.param_groups[0]["lr"] = (est.learning_rate_init
                                                    / (est.t_ + 1) ** est.power_t)
        if est._no_improvement_count > est.n_iter_no_change:
            if _plateau(est):
                break
            est._no_improvement_count = 0
        if incremental:
            break
        if est.n_iter_ == est.max_iter:
            warnings.warn(f"Stochastic Optimizer: Maximum iterations ({est.max_iter}) reached "
                          "and the optimization hasn't converged yet.", ConvergenceWarning,
                          stacklevel=4)
    if est.early_stopping:
        est.model_.load_state_dict(est._best_state)
    est.model_.eval()
