"""One SGD step with an L2 or L1 penalty is TF Playground's: the penalty's derivative is
taken at the weights *before* the step, so w ← w − α·(∂J/∂w + λ·w) for L2."""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config
from mlplab.playground.run_state import PlaygroundRun

# A large α·λ makes the order visible: penalising the stepped weight instead would be off
# by α²·λ·∂J/∂w, far above float32 rounding here.
LR, RATE = 0.5, 0.3


def one_step(regularization: str, rate: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights before and after one SGD mini-batch step from the same state and batch."""
    run = PlaygroundRun(make_config({"optimizer": "sgd", "learning_rate": LR,
                                     "regularization": regularization,
                                     "regularization_rate": rate, "reshuffle": False}))
    before = [w.copy() for w, _ in run.weights()]
    run.train_batch()
    return before, [w for w, _ in run.weights()]


def test_l2_step_subtracts_lr_rate_w_at_the_old_weights():
    before, plain = one_step("none", 0.0)
    before_l2, with_l2 = one_step("l2", RATE)
    for w0, w0_l2, a, b in zip(before, before_l2, plain, with_l2, strict=True):
        np.testing.assert_array_equal(w0, w0_l2)   # the same state and batch
        # w − α(g + λw) minus (w − αg) = −αλw
        np.testing.assert_allclose(b - a, -LR * RATE * w0, rtol=1e-4, atol=1e-6)


def test_l2_step_equals_the_formula_with_the_gradient():
    run = PlaygroundRun(make_config({"optimizer": "sgd", "learning_rate": LR,
                                     "regularization": "l2", "regularization_rate": RATE,
                                     "reshuffle": False, "batch_size": 10}))
    layers = mb.weight_layers(run.model)
    w = [layer.weight.data.copy() for layer in layers]
    run.forward_backward(run.train_x[:10], run.train_t[:10])
    grads = [layer.weight.grad.copy() for layer in layers]
    run.train_batch()                                # the same first batch (no reshuffle)
    for layer, w0, g in zip(layers, w, grads, strict=True):
        np.testing.assert_allclose(layer.weight.data, w0 - LR * (g + RATE * w0),
                                   rtol=1e-4, atol=1e-6)


def crossing_run(regularization: str, mode: str = "tf") -> tuple[PlaygroundRun, tuple]:
    """A run whose first-layer weight at ``spot`` the gradient step carries across 0."""
    run = PlaygroundRun(make_config({"optimizer": "sgd", "learning_rate": LR,
                                     "regularization": regularization,
                                     "regularization_rate": RATE, "l1_mode": mode,
                                     "reshuffle": False}))
    layer = mb.weight_layers(run.model)[0]
    size = run.config.batch_size
    run.forward_backward(run.train_x[:size], run.train_t[:size])
    spot = np.unravel_index(np.argmax(np.abs(layer.weight.grad)), layer.weight.data.shape)
    layer.weight.data[spot] = 0.25 * LR * layer.weight.grad[spot]
    return run, spot


@pytest.mark.parametrize("mode", ["tf", "subgradient"])
def test_l1_step_uses_the_sign_of_the_weight_before_the_step(mode):
    plain, spot = crossing_run("none")
    w0 = mb.weight_layers(plain.model)[0].weight.data[spot]
    plain.train_batch()
    a = mb.weight_layers(plain.model)[0].weight.data[spot]
    assert np.sign(a) == -np.sign(w0)                # the gradient step crossed 0
    run, _ = crossing_run("l1", mode)
    run.train_batch()
    # sign(w0) pushes the weight further from 0: no clamp, in either mode.
    assert mb.weight_layers(run.model)[0].weight.data[spot] == \
        pytest.approx(a - LR * RATE * np.sign(w0), rel=1e-5)


@pytest.mark.parametrize("mode", ["tf", "subgradient"])
def test_l1_step_on_every_weight(mode):
    before, plain = one_step("none", 0.0)
    run = PlaygroundRun(make_config({"optimizer": "sgd", "learning_rate": LR,
                                     "regularization": "l1", "regularization_rate": RATE,
                                     "l1_mode": mode, "reshuffle": False}))
    run.train_batch()
    for w0, a, (b, _) in zip(before, plain, run.weights(), strict=True):
        expected = a - LR * RATE * np.sign(w0)
        if mode == "tf":  # a weight the penalty carries across 0 is clamped at 0
            expected[a * expected < 0] = 0.0
        np.testing.assert_allclose(b, expected, rtol=1e-4, atol=1e-6)
