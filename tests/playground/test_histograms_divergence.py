"""The snapshot's gradient histograms and dead/saturated fractions, and the neurons and
links it marks after a divergence."""

from __future__ import annotations

import numpy as np
import pytest

from mlplab.autograd.tensor import Tensor
from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config
from mlplab.playground.run_state import PlaygroundRun
from mlplab.playground.session import Session, parse_and_submit
from mlplab.playground.snapshot import build_snapshot

pytestmark = pytest.mark.filterwarnings("ignore:.*encountered in:RuntimeWarning")


def autograd_weight_grads(config, params, x, t):
    """∂J/∂W of every weight layer by plain autograd on a fresh copy of the model."""
    model = mb.build_model(config)
    for p, value in zip(model.parameters(), params, strict=True):
        p.data[...] = value
    mb.make_loss(config)(model(Tensor(x)), Tensor(t)).backward()
    return [np.asarray(m.weight.grad, np.float64) for m in mb.weight_layers(model)]


@pytest.mark.parametrize("settings", [
    {"activation": "tanh"},                                       # the training plan's path
    {"activation": "maxout", "maxout_pieces": 3, "loss": "half_mse"},   # the autograd path
])
def test_gradient_histograms_are_numpy_histograms_of_the_last_batch(settings):
    config = make_config({"network_shape": [4, 3], "num_samples": 120, "reshuffle": False,
                          "batch_size": 10, **settings})
    run = PlaygroundRun(config)
    assert build_snapshot(run)["grad_hist"] == {}          # no step yet: no gradient
    for _ in range(7):
        run.train_batch()
    before, start = [p.data.copy() for p in run.model.parameters()], run.cursor
    run.train_batch()                                      # the batch the snapshot shows
    x, t = run.train_x[start:start + 10], run.train_t[start:start + 10]
    grads = autograd_weight_grads(config, before, x, t)
    hist = build_snapshot(run)["grad_hist"]
    assert list(hist) == ["L0", "L1", "out"]
    for g, name in zip(grads, hist, strict=True):
        m = np.abs(g).max()
        counts, edges = np.histogram(g.ravel(), bins=20, range=(-m, m))
        np.testing.assert_allclose(hist[name]["edges"], edges, rtol=1e-5)
        assert np.abs(np.array(hist[name]["counts"]) - counts).sum() <= 2  # float32 ties
        assert hist[name]["abs_mean"] == pytest.approx(np.abs(g).mean(), rel=1e-5)
    run.reset()
    assert build_snapshot(run)["grad_hist"] == {}


def known_run(activation, weight, bias):
    """One hidden layer of 3 units with the given W (3 × 2) and b, on the circle data."""
    run = PlaygroundRun(make_config({"network_shape": [3], "activation": activation,
                                     "num_samples": 200}))
    layer = mb.weight_layers(run.model)[0]
    layer.weight.data[...] = weight
    layer.bias.data[...] = bias
    z = run.train_x.astype(np.float64) @ np.array(weight, np.float64).T + bias
    return run, z


def test_dead_relu_share_is_the_share_of_units_never_active():
    # unit 1 has w = 0, b = −1: a = 0 at every point (dead); units 0 and 2 see x₁ > 0, x₁ < 0
    run, z = known_run("relu", [[1, 0], [0, 0], [-1, 0]], [0, -1, 0])
    hist = build_snapshot(run)["hist"]["L0"]
    assert hist["dead"] == pytest.approx(np.mean(np.all(np.maximum(z, 0) <= 0, axis=0)))
    assert hist["dead"] == pytest.approx(1 / 3) and hist["saturated"] == 0


@pytest.mark.parametrize("activation, g, low, high", [
    ("tanh", np.tanh, -0.99, 0.99), ("sigmoid", lambda z: 1 / (1 + np.exp(-z)), 0.01, 0.99)])
def test_saturated_share_is_the_share_of_values_near_the_bounds(activation, g, low, high):
    run, z = known_run(activation, [[5, 0], [0, 0.1], [3, 3]], [0, 0, 1])
    a = g(z)
    expected = np.mean((a <= low) | (a >= high))
    hist = build_snapshot(run)["hist"]["L0"]
    assert 0.2 < expected < 0.8                            # a real mix, not 0 or 1
    assert hist["saturated"] == pytest.approx(expected, abs=1e-6) and hist["dead"] == 0


def test_a_hand_made_explosion_marks_its_neurons_and_links():
    # one huge weight, x₁ → L0N0: z of L0N0 overflows, and so does the output it feeds
    config = make_config({"network_shape": [2], "activation": "linear", "loss": "hinge",
                          "batch_size": 0})
    run = PlaygroundRun(config)
    mb.weight_layers(run.model)[0].weight.data[0, 0] = 1e38
    before = [p.data.copy() for p in run.model.parameters()]
    with np.errstate(all="ignore"):
        assert not np.isfinite(run.train_batch())
    marked = build_snapshot(run)["diverged"]
    assert {"L0N0", "out0"} <= set(marked["neurons"]) and "L0N1" not in marked["neurons"]
    assert [0, 0, 0] in marked["links"] and [0, 1, 0] not in marked["links"]
    assert [1, 0, 0] in marked["links"]                    # ∂J/∂w = g·a of L0N0: inf
    assert all(np.array_equal(a, b.data) for a, b in          # the step was skipped
               zip(before, run.model.parameters(), strict=True))
    assert all(p.grad is None for p in run.model.parameters())
    mb.weight_layers(run.model)[0].weight.data[0, 0] = 0.5  # repaired: the next good step
    assert np.isfinite(run.train_batch())                   # clears the marks
    assert build_snapshot(run)["diverged"] is None


def test_a_huge_learning_rate_pauses_and_marks_until_reset():
    s = Session(make_config({"network_shape": [4, 2], "activation": "linear",
                             "loss": "hinge", "learning_rate": 100}))
    assert s.latest["diverged"] is None
    parse_and_submit(s, {"op": "step", "epochs": 5})
    state = s.state()
    assert state["message"]["level"] == "error" and not state["running"]
    marked = state["diverged"]
    assert marked["neurons"] and marked["links"]
    ids = {f"L{i}N{j}" for i, n in enumerate([4, 2]) for j in range(n)} | {"out0"}
    assert set(marked["neurons"]) <= ids
    weights = [w for w, _ in s.run.weights()]
    for layer, j, i in marked["links"]:                    # each names a real W entry
        assert j < weights[layer].shape[0] and i < weights[layer].shape[1]
    assert any(not abs(weights[k][j, i]) <= 1e6 for k, j, i in marked["links"])
    parse_and_submit(s, {"op": "reset"})
    assert s.state()["diverged"] is None
