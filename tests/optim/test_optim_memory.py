"""Updates are in place: a step keeps every array it had and allocates only temporaries."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import mlplab.optim as mo
from mlplab.nn.parameter import Parameter

SHAPES = [(256, 128), (256,), (10, 256), (10,)]

OPTIONS = {
    "sgd": dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4),
    "adagrad": dict(weight_decay=1e-4),
    "rmsprop": dict(momentum=0.9, centered=True, weight_decay=1e-4),
    "adadelta": dict(weight_decay=1e-4),
    "adam": dict(amsgrad=True, weight_decay=1e-4),
    "adamw": dict(),
}


@pytest.mark.parametrize("name", list(mo.OPTIMIZERS))
def test_step_is_in_place_and_allocates_only_temporaries(name):
    assert set(OPTIONS) == set(mo.OPTIMIZERS)
    rng = np.random.default_rng(0)
    params = [Parameter(rng.standard_normal(s)) for s in SHAPES]
    grads = [rng.standard_normal(s) for s in SHAPES]
    opt = mo.get_optimizer(name, params, **OPTIONS[name])
    for p, g in zip(params, grads, strict=True):
        p.grad = g
    opt.step()  # the first step creates the state
    arrays = [p.data for p in params]
    state_ids = {k: [id(x) for x in vars(s).values() if isinstance(x, np.ndarray)]
                 for k, s in opt.state.items()}
    grad_copies = [g.copy() for g in grads]

    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        opt.step()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    largest = max(np.prod(s) for s in SHAPES) * 8
    # at most three parameter-sized temporaries at once (dW + λW, and two scratch arrays)
    assert peak - before <= 3 * largest + 4096, f"{name}: peak {peak - before} B in one step"
    assert after - before <= 1024, f"{name}: {after - before} B still held after the step"
    assert all(p.data is a for p, a in zip(params, arrays, strict=True))  # same arrays
    for k, s in opt.state.items():
        assert [id(x) for x in vars(s).values() if isinstance(x, np.ndarray)] == state_ids[k]
    for g, c in zip(grads, grad_copies, strict=True):  # gradients are never touched
        np.testing.assert_array_equal(g, c)


CONSUMING_CASES = [(name, OPTIONS[name]) for name in mo.OPTIMIZERS] + [
    ("sgd", dict(lr=0.1)), ("sgd", dict(lr=0.1, momentum=0.9))]


@pytest.mark.parametrize(("name", "options"), CONSUMING_CASES)
def test_consuming_the_gradients_changes_nothing_but_the_gradients(name, options):
    # step(consume_grads=True) may use each .grad as scratch space: the parameters and
    # the state must follow exactly the same trajectory, and every .grad ends up None
    rng = np.random.default_rng(1)
    start = [rng.standard_normal(s) for s in SHAPES]
    plain = [Parameter(w.copy()) for w in start]
    consuming = [Parameter(w.copy()) for w in start]
    opt_plain = mo.get_optimizer(name, plain, **options)
    opt_consuming = mo.get_optimizer(name, consuming, **options)
    for _ in range(3):
        grads = [rng.standard_normal(s) for s in SHAPES]
        for p, q, g in zip(plain, consuming, grads, strict=True):
            p.grad, q.grad = g.copy(), g.copy()
        opt_plain.step()
        opt_consuming.step(consume_grads=True)
        assert all(q.grad is None for q in consuming)
        assert all(p.grad is not None for p in plain)
        for p, q in zip(plain, consuming, strict=True):
            np.testing.assert_array_equal(p.data, q.data)


def test_plain_sgd_steps_in_the_gradients_memory_when_allowed():
    w = Parameter(np.ones((64, 64)))
    opt = mo.SGD([w], lr=0.1, momentum=0.9)
    w.grad = np.full((64, 64), 2.0)
    opt.step()
    tracemalloc.start()
    try:
        w.grad = np.full((64, 64), 2.0)
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        opt.step(consume_grads=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - before < 64 * 64 * 8  # no parameter-sized temporary: the gradient was it
    assert w.grad is None
