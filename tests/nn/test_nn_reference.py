"""Autograd's gradients of an ``ml.nn.Sequential`` equal the notes' hand-derived
vectorized backprop in ``mlplab.reference`` (features × examples layout)."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab import nn, reference

ACT = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "linear": nn.Identity}


def build(weights, biases, hidden: str, output: str) -> nn.Sequential:
    """The Sequential whose Linear layers hold the reference's W^[l] and b^[l]."""
    layers: list[nn.Module] = []
    for l, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        linear = nn.Linear(W.shape[1], W.shape[0], dtype="float64")
        linear.weight.data[...] = W          # W^[l] is (n^[l], n^[l−1]): PyTorch's layout
        linear.bias.data[...] = b.ravel()
        layers.append(linear)
        if l < len(weights):
            layers.append(ACT[hidden]())
        elif output in ("tanh", "relu", "sigmoid") and output != "softmax":
            layers.append(ACT[output]())
    return nn.Sequential(*layers)


def autograd_cost(model, X, Y, output: str, loss: str):
    """The same J as the reference, from mlplab losses (rows are examples here)."""
    m = X.shape[1]
    out = model(X.T)
    if loss == "mse":  # J = (1/m) Σ ½‖y − a‖²
        return 0.5 * nn.MSELoss(reduction="sum")(out, Y.T) / m
    if output == "softmax":
        return nn.CrossEntropyLoss()(out, Y.argmax(axis=0))
    return nn.BCELoss(reduction="sum")(out, Y.T) / m  # sigmoid already applied


CASES = [(hidden, output, loss) for hidden in ("sigmoid", "tanh", "relu")
         for output, loss in (("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"),
                              ("linear", "mse"), ("sigmoid", "mse"), ("tanh", "mse"))]


@pytest.mark.parametrize(("hidden", "output", "loss"), CASES)
def test_autograd_matches_the_notes_backprop(hidden: str, output: str, loss: str) -> None:
    rng = np.random.default_rng(0)
    dims = [4, 5, 3, 3]
    m = 9
    weights, biases = reference.initialize(dims, seed=1, scale=0.8)
    biases = [rng.standard_normal(b.shape) * 0.3 for b in biases]
    X = rng.standard_normal((dims[0], m))
    if output == "softmax":
        Y = np.eye(dims[-1])[:, rng.integers(0, dims[-1], m)]
    elif loss == "cross_entropy":
        Y = rng.integers(0, 2, (dims[-1], m)).astype(float)
    else:
        Y = rng.standard_normal((dims[-1], m)) * 0.5
    J, dWs, dbs = reference.gradients(X, Y, weights, biases, hidden, output, loss)
    model = build(weights, biases, hidden, output)
    cost = autograd_cost(model, X, Y, output, loss)
    cost.backward()
    np.testing.assert_allclose(float(cost), J, rtol=1e-12)
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    for l, (layer, dW, db) in enumerate(zip(linears, dWs, dbs, strict=True), start=1):
        np.testing.assert_allclose(layer.weight.grad, dW, atol=1e-13, err_msg=f"dW^[{l}]")
        np.testing.assert_allclose(layer.bias.grad, db.ravel(), atol=1e-13, err_msg=f"db^[{l}]")


def test_reference_gradients_agree_with_finite_differences() -> None:
    # the oracle itself is checked against the notes' two-sided difference
    rng = np.random.default_rng(1)
    weights, biases = reference.initialize([3, 4, 1], seed=2)
    X = rng.standard_normal((3, 5))
    Y = rng.integers(0, 2, (1, 5)).astype(float)
    _, dWs, _ = reference.gradients(X, Y, weights, biases, "tanh", "sigmoid")
    eps = 1e-6
    numeric = np.zeros_like(weights[0])
    for i in np.ndindex(*weights[0].shape):
        for sign in (1, -1):
            weights[0][i] += sign * eps
            J = reference.gradients(X, Y, weights, biases, "tanh", "sigmoid")[0]
            numeric[i] += sign * J / (2 * eps)
            weights[0][i] -= sign * eps
    np.testing.assert_allclose(dWs[0], numeric, atol=1e-8)


def test_reference_gradient_descent_lowers_the_cost() -> None:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 40))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    weights, biases = reference.initialize([2, 8, 1], seed=0)
    costs = reference.gradient_descent(X, Y, weights, biases, lr=1.0, steps=300,
                                       hidden="tanh", output="sigmoid")
    assert costs[-1] < 0.5 * costs[0]


def test_reference_rejects_cross_entropy_with_a_linear_output() -> None:
    with pytest.raises(ValueError, match="sigmoid or softmax"):
        reference.gradients(np.ones((2, 3)), np.ones((1, 3)), *reference.initialize([2, 1]),
                            output="linear")


def test_autograd_model_is_an_ml_sequential() -> None:
    model = build(*reference.initialize([2, 3, 1]), "relu", "sigmoid")
    assert isinstance(model, ml.nn.Sequential) and len(model) == 4
