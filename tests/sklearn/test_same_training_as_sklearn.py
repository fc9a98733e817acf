"""Same ``random_state``, same data → the same network as scikit-learn's, step for step.

mlplab.sklearn draws the initial weights and the epoch shuffles from the estimator's
RandomState in scikit-learn's order and computes scikit-learn's update rules (Adam's
ε, momentum's velocity), so switching the import keeps a user's results, not only
their code. Float64 throughout: any difference is rounding (≲ 1e-12 after 30 epochs);
a different draw, order or rule moves the weights by 1e-3 or more.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.datasets import load_diabetes, make_classification  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

import mlplab.sklearn as mls  # noqa: E402
from sklearn import neural_network  # noqa: E402

CONFIGS = [
    {"solver": "adam"},
    {"solver": "adam", "early_stopping": True},
    {"solver": "sgd"},
    {"solver": "sgd", "learning_rate": "invscaling", "power_t": 0.25},
    {"solver": "sgd", "nesterovs_momentum": False, "momentum": 0.5},
    {"solver": "sgd", "momentum": 0.0, "learning_rate": "adaptive"},
    {"solver": "lbfgs"},
    {"activation": "tanh", "hidden_layer_sizes": (12, 7), "alpha": 0.1},
    {"activation": "logistic", "batch_size": 64},
]


def _data(task):
    if task == "MLPClassifier":
        return make_classification(400, 8, n_informative=5, n_classes=3, random_state=1)
    X, y = load_diabetes(return_X_y=True)
    return (X - X.mean(0)) / X.std(0), y


def _fit_both(task, config):
    X, y = _data(task)
    params = {"hidden_layer_sizes": (16,), "max_iter": 30, "random_state": 7, **config}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = getattr(neural_network, task)(**params).fit(X, y)
        ours = getattr(mls, task)(**params).fit(X, y)
    return ours, theirs, X


def _max_weight_gap(ours, theirs) -> float:
    pairs = [*zip(ours.coefs_, theirs.coefs_, strict=True),
             *zip(ours.intercepts_, theirs.intercepts_, strict=True)]
    return max(float(np.abs(a - b).max()) for a, b in pairs)


@pytest.mark.parametrize("task", ["MLPClassifier", "MLPRegressor"])
@pytest.mark.parametrize("config", CONFIGS,
                         ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_fit_trains_scikit_learns_network(task, config):
    ours, theirs, X = _fit_both(task, config)
    assert ours.n_iter_ == theirs.n_iter_
    assert _max_weight_gap(ours, theirs) <= 1e-9
    if config.get("solver") != "lbfgs":
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-9, atol=1e-9)


def test_partial_fit_takes_scikit_learns_steps():
    X, y = _data("MLPClassifier")
    ours, theirs = mls.MLPClassifier((16,), random_state=0), \
        neural_network.MLPClassifier((16,), random_state=0)
    for rows in np.array_split(np.arange(len(y)), 4):
        ours.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        theirs.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    assert _max_weight_gap(ours, theirs) <= 1e-12


def test_another_random_state_gives_another_network():
    """The comparison above can fail: a different seed moves the weights visibly."""
    X, y = _data("MLPClassifier")
    ours = mls.MLPClassifier((16,), max_iter=5, random_state=1)
    theirs = neural_network.MLPClassifier((16,), max_iter=5, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert _max_weight_gap(ours.fit(X, y), theirs.fit(X, y)) > 1e-2


def test_a_diverging_fit_raises_as_scikit_learns_does():
    X, y = _data("MLPRegressor")
    params = {"hidden_layer_sizes": (16,), "solver": "sgd", "learning_rate": "invscaling",
              "learning_rate_init": 0.05, "max_iter": 30, "random_state": 7}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="non-finite"):
            neural_network.MLPRegressor(**params).fit(X, y)
        with pytest.raises(ValueError, match="diverged .* lower learning_rate_init"):
            mls.MLPRegressor(**params).fit(X, y)
