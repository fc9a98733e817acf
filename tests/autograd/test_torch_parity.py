"""PyTorch (float64) as the oracle: random expression trees and op-by-op parity.

Values and gradients of mlplab must match torch autograd on the same inputs,
including broadcasting shapes and saturating inputs (sigmoid at ±300…400,
softmax of logits near 1000).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mlplab as ml
from tests.autograd import expr_trees

RTOL, ATOL = 1e-9, 1e-12


def _run_mlplab(fn, arrays, cotangent_seed):
    xs = [ml.tensor(a, dtype="float64", requires_grad=True) for a in arrays]
    out = fn(*xs)
    v = np.random.default_rng(cotangent_seed).standard_normal(out.shape)
    if out.requires_grad:
        out.backward(v)
    grads = [np.zeros_like(a) if x.grad is None else x.grad for x, a in zip(xs, arrays,
                                                                          strict=True)]
    return out.data, grads, v


def _run_torch(fn, arrays, v):
    xs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = fn(*xs)
    if out.requires_grad:
        out.backward(torch.as_tensor(v, dtype=torch.float64))
    grads = [np.zeros_like(a) if x.grad is None else x.grad.numpy() for x, a in zip(xs, arrays,
                                                                                  strict=True)]
    return out.detach().numpy(), grads


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_expressions_match_torch(data):
    n_inputs = data.draw(st.integers(1, 3), label="n_inputs")
    tree = data.draw(expr_trees.trees(n_inputs), label="tree")
    shapes = data.draw(expr_trees.broadcast_shapes(n_inputs), label="shapes")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    arrays = expr_trees.arrays(shapes, seed)

    value, grads, v = _run_mlplab(expr_trees.mlplab_function(tree), arrays, seed + 1)
    expected_value, expected_grads = _run_torch(expr_trees.torch_function(tree), arrays, v)

    assert value.shape == expected_value.shape
    np.testing.assert_allclose(value, expected_value, rtol=RTOL, atol=ATOL)
    for k, (g, expected) in enumerate(zip(grads, expected_grads, strict=True)):
        assert g.shape == arrays[k].shape, f"gradient of input {k} has the wrong shape"
        np.testing.assert_allclose(g, expected, rtol=RTOL, atol=ATOL,
                                   err_msg=f"gradient of input {k} for {tree}")


def _rand(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed).uniform(low, high, shape)


# (id, mlplab fn, torch fn, inputs) — one entry per op, saturating cases included.
OP_CASES = [
    ("matmul 2-D", lambda a, b: a @ b, lambda a, b: a @ b, [_rand(3, 4), _rand(4, 5, seed=1)]),
    ("matmul 1-D", lambda a, b: a @ b, lambda a, b: a @ b, [_rand(4), _rand(4, seed=1)]),
    ("matmul batched", lambda a, b: a @ b, lambda a, b: a @ b,
     [_rand(2, 1, 3, 4), _rand(3, 4, 2, seed=1)]),
    ("matmul vector-batch", lambda a, b: a @ b, lambda a, b: a @ b,
     [_rand(4), _rand(2, 4, 3, seed=1)]),
    ("sigmoid saturating +", ml.sigmoid, torch.sigmoid, [_rand(6, low=300, high=400)]),
    ("sigmoid saturating -", ml.sigmoid, torch.sigmoid, [_rand(6, low=-400, high=-300)]),
    ("tanh saturating", ml.tanh, torch.tanh, [_rand(6, low=-40, high=40)]),
    ("softmax big logits", lambda x: ml.softmax(x, axis=-1), lambda x: torch.softmax(x, -1),
     [_rand(3, 5, low=990, high=1000)]),
    ("log_softmax big logits", lambda x: ml.log_softmax(x, axis=0),
     lambda x: torch.log_softmax(x, 0), [_rand(3, 5, low=-1000, high=1000)]),
    ("logsumexp big logits", lambda x: ml.logsumexp(x, axis=1),
     lambda x: torch.logsumexp(x, 1), [_rand(3, 5, low=990, high=1000)]),
    ("clip", lambda x: ml.clip(x, -0.5, 0.5), lambda x: torch.clamp(x, -0.5, 0.5), [_rand(10)]),
    ("where broadcast", lambda a, b: ml.where(np.array([True, False, True]), a, b),
     lambda a, b: torch.where(torch.tensor([True, False, True]), a, b),
     [_rand(2, 3), _rand(1, seed=1)]),
    ("concatenate", lambda a, b: ml.concatenate([a, b], axis=1),
     lambda a, b: torch.cat([a, b], 1), [_rand(2, 3), _rand(2, 2, seed=1)]),
    ("stack", lambda a, b: ml.stack([a, b], axis=1), lambda a, b: torch.stack([a, b], 1),
     [_rand(2, 3), _rand(2, 3, seed=1)]),
    ("integer index with repeats", lambda x: x[[0, 2, 0]], lambda x: x[[0, 2, 0]],
     [_rand(3, 4)]),
    ("pick per row", lambda x: x[np.arange(3), np.array([1, 0, 3])],
     lambda x: x[torch.arange(3), torch.tensor([1, 0, 3])], [_rand(3, 4)]),
    ("slice", lambda x: x[1:, ::2], lambda x: x[1:, ::2], [_rand(3, 4)]),
    ("transpose", lambda x: x.transpose(1, 2, 0), lambda x: x.permute(1, 2, 0),
     [_rand(2, 3, 4)]),
    ("reshape", lambda x: x.reshape(4, -1), lambda x: x.reshape(4, -1), [_rand(2, 3, 4)]),
    ("min axis", lambda x: x.min(axis=1), lambda x: torch.amin(x, 1), [_rand(3, 4)]),
    ("max with ties", lambda x: ml.relu(x).max(axis=0), lambda x: torch.amax(torch.relu(x), 0),
     [_rand(4, 3, low=-2, high=-1)]),
    ("maximum ties split the gradient", ml.maximum, torch.maximum,
     [np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 3.0])]),
    ("minimum ties split the gradient", ml.minimum, torch.minimum,
     [np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 3.0])]),
    ("var", lambda x: x.var(axis=0), lambda x: x.var(0, unbiased=False), [_rand(5, 3)]),
    ("pow tensor exponent", lambda a, b: a ** b, lambda a, b: a ** b,
     [_rand(3, 4, low=0.5, high=2), _rand(4, seed=1)]),
    ("pow zero base", lambda a, b: a ** b, lambda a, b: a ** b,
     [np.array([0.0, 0.0, 2.0]), np.array([2.0, 1.0, 0.5])]),
]


@pytest.mark.parametrize("name,fn,torch_fn,arrays", OP_CASES, ids=[c[0] for c in OP_CASES])
def test_op_matches_torch(name, fn, torch_fn, arrays):
    value, grads, v = _run_mlplab(fn, arrays, cotangent_seed=7)
    expected_value, expected_grads = _run_torch(torch_fn, arrays, v)
    np.testing.assert_allclose(value, expected_value, rtol=RTOL, atol=ATOL)
    for g, expected in zip(grads, expected_grads, strict=True):
        np.testing.assert_allclose(g, expected, rtol=RTOL, atol=ATOL)
