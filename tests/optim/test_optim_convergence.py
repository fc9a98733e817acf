"""Every registered optimizer minimizes Rosenbrock and Beale; batch, mini-batch and
stochastic descent all reach the least-squares solution with the same optimizer."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
import mlplab.optim as mo
from mlplab.nn.parameter import Parameter
from mlplab.optim import schedules


def rosenbrock(x):
    """f = (1 − a)² + 100 (b − a²)², minimum 0 at (1, 1); gradient by hand."""
    a, b = x
    f = (1 - a) ** 2 + 100 * (b - a * a) ** 2
    return f, np.array([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])


def beale(x):
    """f = Σ_i (c_i − a + a bⁱ)² with c = (1.5, 2.25, 2.625), minimum 0 at (3, 0.5)."""
    a, b = x
    r = [c - a + a * b**i for i, c in enumerate((1.5, 2.25, 2.625), start=1)]
    f = sum(ri * ri for ri in r)
    da = sum(2 * ri * (b**i - 1) for i, ri in enumerate(r, start=1))
    db = sum(2 * ri * i * a * b ** (i - 1) for i, ri in enumerate(r, start=1))
    return f, np.array([da, db])


# optimizer -> (settings, steps, loss bound) per function; start (−1.2, 1) and (1, 1).
SETTINGS = {
    "sgd": {"rosenbrock": (dict(lr=1e-3, momentum=0.9, nesterov=True), 2000, 1e-6),
            "beale": (dict(lr=1e-3, momentum=0.9, nesterov=True), 2000, 1e-6)},
    "adagrad": {"rosenbrock": (dict(lr=1.0), 5000, 1e-3),
                "beale": (dict(lr=1.0), 2000, 1e-6)},
    "rmsprop": {"rosenbrock": (dict(lr=1e-3, momentum=0.9), 2000, 1e-3),
                "beale": (dict(lr=1e-3, momentum=0.9), 2000, 1e-6)},
    # Adadelta's steps do not shrink near the minimum by themselves: anneal the scale α.
    "adadelta": {"rosenbrock": (dict(lr=schedules.CosineDecay(1.0, 6000), rho=0.95), 6000, 1e-4),
                 "beale": (dict(lr=schedules.CosineDecay(1.0, 3000), rho=0.95), 3000, 1e-6)},
    "adam": {"rosenbrock": (dict(lr=0.05), 2000, 1e-6), "beale": (dict(lr=0.05), 2000, 1e-6)},
    "adamw": {"rosenbrock": (dict(lr=0.05, weight_decay=1e-4), 3000, 1e-4),
              "beale": (dict(lr=0.05, weight_decay=1e-4), 2000, 1e-4)},
}
PROBLEMS = {"rosenbrock": (rosenbrock, (-1.2, 1.0), (1.0, 1.0)),
            "beale": (beale, (1.0, 1.0), (3.0, 0.5))}


def test_every_registered_optimizer_has_settings():
    assert set(SETTINGS) == set(mo.OPTIMIZERS)


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("name", list(mo.OPTIMIZERS))
def test_minimizes_classic_functions(name, problem):
    f, start, minimum = PROBLEMS[problem]
    kwargs, steps, bound = SETTINGS[name][problem]
    x = Parameter(np.array(start, dtype=np.float64))
    opt = mo.get_optimizer(name, [x], **kwargs)
    f0 = f(x.data)[0]
    for _ in range(steps):
        x.grad = f(x.data)[1]
        opt.step()
    loss = f(x.data)[0]
    assert loss < bound < f0, f"{name} on {problem}: f = {loss:.3g} after {steps} steps"
    np.testing.assert_allclose(x.data, minimum, atol=0.05)


def test_batch_minibatch_and_stochastic_descent_all_converge():
    """Batch, mini-batch and stochastic descent (size m, 1 < size < m, 1), same 640 updates."""
    rng = np.random.default_rng(0)
    n, d = 64, 4
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.5 + 0.1 * rng.standard_normal(n)
    A = np.c_[X, np.ones(n)]
    solution = np.linalg.lstsq(A, y, rcond=None)[0]  # the oracle: argmin of the mean squared error
    distance = {}
    for batch_size in (n, 8, 1):
        w, b = Parameter(np.zeros(d)), Parameter(np.zeros(1))
        opt = mo.SGD([w, b], lr=schedules.InverseTimeDecay(0.05, decay_steps=100, decay_rate=1.0),
                     momentum=0.5)
        order = np.random.default_rng(1)
        for _ in range(640 * batch_size // n):  # epochs, so that every run makes 640 updates
            perm = order.permutation(n)
            for k in range(0, n, batch_size):
                i = perm[k:k + batch_size]
                opt.zero_grad()
                r = ml.tensor(X[i]) @ w + b - ml.tensor(y[i])
                (r * r).mean().backward()
                opt.step()
        assert opt.step_count == 640
        distance[batch_size] = np.linalg.norm(np.r_[w.data, b.data] - solution)
    start = np.linalg.norm(solution)
    assert distance[n] < 1e-8 * start      # batch: exact up to rounding
    assert distance[8] < 5e-3 * start      # mini-batch: close, a little noise left
    assert distance[1] < 3e-2 * start      # stochastic: noisiest, still at the minimum
