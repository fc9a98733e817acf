"""The estimators' parameters: scikit-learn's table of constraints, checked in one line.

Every parameter scikit-learn's ``MLPClassifier``/``MLPRegressor`` has keeps its name,
meaning and default; the table below uses scikit-learn's own constraint vocabulary
(``Interval``, ``StrOptions``) so that its tools read it, and ``check_parameters``
turns a violation into mlplab's one-line message::

    MLPClassifier: alpha must be a float in the range [0.0, inf), got -1; e.g. alpha=0.0001

The mlplab extras (per-layer ``activation`` lists, more solvers, ``learning_rate``
schedules, ``initializer``, ``l1``, ``dropout``, ``normalization``, ``dtype``) are
listed after scikit-learn's. This module is imported only when an estimator is fitted,
so ``import mlplab`` needs no scikit-learn.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    make_constraint,
)

from mlplab.checks import ParameterError, shown

SKLEARN_ACTIVATIONS = {"identity", "logistic", "tanh", "relu"}
EXTRA_ACTIVATIONS = {"sigmoid", "linear", "leaky_relu", "prelu", "rrelu", "elu"}
SKLEARN_SOLVERS = {"lbfgs", "sgd", "adam"}
EXTRA_SOLVERS = {"adamw", "rmsprop", "adagrad", "adadelta"}
SCHEDULES = {"constant", "invscaling", "adaptive"}
INITIALIZERS = {"glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal",
                "orthogonal", "pytorch"}
"""``initializer`` names; None is scikit-learn's scheme (see ``network.py``)."""


class EstimatorParameterError(ParameterError, InvalidParameterError):
    """A bad estimator parameter: mlplab's ``ParameterError`` and scikit-learn's
    ``InvalidParameterError`` at once, so code written for either catches it."""


SHARED_CONSTRAINTS: dict[str, list[Any]] = {
    "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
    "activation": [StrOptions(SKLEARN_ACTIVATIONS | EXTRA_ACTIVATIONS), "array-like"],
    "solver": [StrOptions(SKLEARN_SOLVERS | EXTRA_SOLVERS)],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
    "learning_rate": [StrOptions(SCHEDULES), HasMethods(["__call__", "get_config"])],
    "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
    "power_t": [Interval(Real, 0, None, closed="left")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "shuffle": ["boolean"],
    "random_state": ["random_state"],
    "tol": [Interval(Real, 0, None, closed="left")],
    "verbose": ["verbose"],
    "warm_start": ["boolean"],
    "momentum": [Interval(Real, 0, 1, closed="both")],
    "nesterovs_momentum": ["boolean"],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="left")],
    "beta_1": [Interval(Real, 0, 1, closed="left")],
    "beta_2": [Interval(Real, 0, 1, closed="left")],
    "epsilon": [Interval(Real, 0, None, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left"),
                         Options(Real, {float("inf")})],
    "max_fun": [Interval(Integral, 1, None, closed="left")],
    # mlplab's extras
    "initializer": [None, StrOptions(INITIALIZERS)],
    "l1": [Interval(Real, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "normalization": [None, StrOptions({"batch", "layer"})],
    "dtype": [None, StrOptions({"float32", "float64"})],
}
"""Constraints shared by both estimators, in scikit-learn's vocabulary."""


def _example(name: str, estimator: Any) -> str:
    default = type(estimator)().get_params(deep=False).get(name)
    return f"{name}={default!r}"


def check_parameters(estimator: Any) -> None:
    """Raise ``EstimatorParameterError`` (one line) for the first invalid parameter."""
    owner = type(estimator).__name__
    params = estimator.get_params(deep=False)
    for name, allowed in estimator._parameter_constraints.items():
        value = params[name]
        constraints = [make_constraint(c) for c in allowed]
        if any(c.is_satisfied_by(value) for c in constraints):
            continue
        wanted = " or ".join(str(c) for c in constraints)
        raise EstimatorParameterError(
            f"{owner}: {name} must be {wanted}, got {shown(value)}; "
            f"e.g. {_example(name, estimator)}")
    sizes = params["hidden_layer_sizes"]
    sizes = list(sizes) if hasattr(sizes, "__iter__") else [sizes]
    if any(not isinstance(s, Integral) or s < 1 for s in sizes):
        raise EstimatorParameterError(
            f"{owner}: hidden_layer_sizes must hold positive integers, got {shown(sizes)}; "
            "e.g. hidden_layer_sizes=(100,)")
    activation = params["activation"]
    if isinstance(activation, str):
        return
    names = SKLEARN_ACTIVATIONS | EXTRA_ACTIVATIONS
    wrong = [a for a in activation if not isinstance(a, str) or a not in names]
    if wrong:
        raise EstimatorParameterError(
            f"{owner}: activation lists unknown names {shown(wrong)}; each must be one of "
            f"{sorted(names)}, e.g. activation=['relu', 'tanh']")
    if len(activation) != len(sizes):
        raise EstimatorParameterError(
            f"{owner}: activation lists {len(activation)} names for {len(sizes)} hidden "
            f"layers; give one per layer, e.g. activation={['relu'] * len(sizes)!r}")
