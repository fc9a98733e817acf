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
