"""Gradient clipping and max-norm against torch; L1/L2 penalties against weight decay."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from optim_helpers import batch, init_weights, make_data, ml_loss, ml_params

import mlplab.optim as mo
from mlplab.nn.parameter import Parameter
from mlplab.nn.penalties import l1_penalty, l2_penalty
from mlplab.nn.utils import clip_grad_norm_, clip_grad_value_, max_norm_


def _pair(seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    shapes = [(4, 3), (4,), (2, 4), (2,)]
    grads = [scale * rng.standard_normal(s) for s in shapes]
    ours = [Parameter(np.zeros(s)) for s in shapes]
    theirs = [torch.nn.Parameter(torch.zeros(s, dtype=torch.float64)) for s in shapes]
    for p, t, g in zip(ours, theirs, grads, strict=True):
        p.grad = g.copy()
        t.grad = torch.tensor(g)
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])  # clipping active / inactive
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _pair()
    ours[1].grad = None  # a parameter without gradient is skipped
    theirs[1].grad = None
    total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm,
                                              norm_type=float(norm_type))
    assert total == pytest.approx(float(expected), rel=1e-12)
    for p, t in zip(ours, theirs, strict=True):
        if p.grad is None:
            assert t.grad is None
            continue
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-12)


def test_clip_grad_norm_nonfinite_and_value_clipping():
    ours, _ = _pair()
    ours[0].grad[0, 0] = np.inf
    with pytest.raises(RuntimeError, match="non-finite|inf"):
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    ours, theirs = _pair(scale=3.0)
    clip_grad_value_(ours, 0.7)
    torch.nn.utils.clip_grad_value_(theirs, 0.7)
    for p, t in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(p.grad, t.grad.numpy())
    assert clip_grad_norm_([Parameter(np.ones(2))], 1.0) == 0.0  # no gradients at all


def test_max_norm_matches_torch_renorm_and_leaves_biases_alone():
    rng = np.random.default_rng(3)
    W = rng.standard_normal((6, 5)) * np.array([[0.1], [3.0], [0.5], [2.0], [1.0], [4.0]])
    w, b = Parameter(W.copy()), Parameter(np.full(6, 10.0))
    max_norm_([w, b], max_value=1.5)
    expected = torch.renorm(torch.tensor(W), p=2, dim=0, maxnorm=1.5).numpy()
    np.testing.assert_allclose(w.data, expected, rtol=1e-12)
    assert np.all(np.linalg.norm(w.data, axis=1) <= 1.5 + 1e-12)
    np.testing.assert_array_equal(b.data, 10.0)


def test_l2_penalty_gradient_is_weight_decay():
    X, Y = make_data()
    lam, m = 0.3, len(X)
    p = ml_params(init_weights())
    l2_penalty(p, lam, m).backward()
    for q in p:
        np.testing.assert_allclose(q.grad, lam / m * q.data, rtol=1e-14)
    weights = init_weights()
    expected = lam / (2 * m) * sum(float(np.sum(w * w)) for w in weights)
    assert float(l2_penalty(ml_params(weights), lam, m).data) == pytest.approx(expected)


def test_sgd_on_l2_penalized_cost_equals_sgd_with_weight_decay():
    """J + λ/2m‖W‖² with plain SGD  ==  J with SGD(weight_decay=λ/m), (L2 regularization)."""
    X, Y = make_data()
    lam, m = 0.5, 32
    a, b = ml_params(init_weights()), ml_params(init_weights())
    opt_a = mo.SGD(a, lr=0.1, momentum=0.9)
    opt_b = mo.SGD(b, lr=0.1, momentum=0.9, weight_decay=lam / m)
    for s in range(50):
        xb, yb = batch(X, Y, s)
        opt_a.zero_grad()
        (ml_loss(a, xb, yb) + l2_penalty(a, lam, m)).backward()
        opt_a.step()
        opt_b.zero_grad()
        ml_loss(b, xb, yb).backward()
        opt_b.step()
    for pa, pb in zip(a, b, strict=True):
        np.testing.assert_allclose(pa.data, pb.data, rtol=1e-11, atol=1e-13)


def test_l1_penalty_value_and_subgradient_match_torch():
    W = np.array([[0.5, -2.0, 0.0], [1.5, 0.0, -0.25]])
    w = Parameter(W.copy())
    pen = l1_penalty([w], lam=0.2, m=4)
    pen.backward()
    t = torch.tensor(W, requires_grad=True)
    (0.2 / 4 * t.abs().sum()).backward()
    assert float(pen.data) == pytest.approx(0.05 * 4.25)
    np.testing.assert_array_equal(w.grad, t.grad.numpy())  # sign(0) = 0 in both
