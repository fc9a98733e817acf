"""The notes' claims about neurons and multilayer perceptrons, as numbers that can fail."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab import nn

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
AND = np.array([0, 0, 0, 1])
OR = np.array([0, 1, 1, 1])
XOR = np.array([0, 1, 1, 0])


def neuron(w, b) -> nn.Sequential:
    layer = nn.Linear(len(w), 1, dtype="float64")
    layer.weight.data[...] = [w]
    layer.bias.data[...] = b
    return nn.Sequential(layer, nn.Sigmoid())


@pytest.mark.parametrize(("w", "b", "inputs", "truth"), [
    ((20, 20), -10, X, OR),       # the notes' OR neuron: σ(20x₁ + 20x₂ − 10)
    ((20, 20), -30, X, AND),      # AND: only x₁ = x₂ = 1 clears the bias
    ((-20,), 10, X[:2, 1:], np.array([1, 0])),  # NOT: σ(−20x + 10)
])
def test_a_sigmoid_neuron_computes_logic_gates(w, b, inputs, truth) -> None:
    out = neuron(w, b)(inputs).data.ravel()
    # σ(±10) is within 5e-5 of 0 or 1: the neuron's output *is* the truth table
    np.testing.assert_allclose(out, truth, atol=5e-5)


@pytest.mark.parametrize(("name", "y"), [("AND", AND), ("OR", OR)])
def test_perceptron_rule_converges_on_linearly_separable_gates(name, y) -> None:
    p = nn.Perceptron(lr=1.0, max_epochs=50).fit(X, y)
    assert p.converged_, f"{name}: mistakes per epoch {p.errors_}"
    np.testing.assert_array_equal(p.predict(X), y)
    assert p.errors_[-1] == 0 and len(p.errors_) < 50


def test_perceptron_rule_never_converges_on_xor() -> None:
    p = nn.Perceptron(max_epochs=200, shuffle=True, seed=0).fit(X, XOR)
    assert not p.converged_ and min(p.errors_) > 0
    assert np.mean(p.predict(X) == XOR) <= 0.75


def gradient_descent(model: nn.Module, y: np.ndarray, steps: int, lr: float) -> float:
    loss_fn = nn.BCEWithLogitsLoss()
    target = y.reshape(-1, 1).astype(float)
    for _ in range(steps):
        model.zero_grad()
        loss = loss_fn(model(X), target)
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
    return float(np.mean((model(X).data.ravel() > 0) == y))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_single_layer_model_fits_xor(seed) -> None:
    accuracy = gradient_descent(nn.Linear(2, 1, seed=seed).double(), XOR, steps=500, lr=0.5)
    assert accuracy <= 0.75


def test_every_linear_classifier_gets_at_most_three_of_four_xor_points() -> None:
    # exhaustively over a grid of (w₁, w₂, b): no line separates XOR
    grid = np.linspace(-2, 2, 21)
    w1, w2, b = np.meshgrid(grid, grid, grid, indexing="ij")
    scores = w1[..., None] * X[:, 0] + w2[..., None] * X[:, 1] + b[..., None]
    accuracy = ((scores > 0) == XOR).mean(axis=-1)
    assert accuracy.max() == 0.75


def test_a_2_2_1_network_fits_xor() -> None:
    model = nn.Sequential(nn.Linear(2, 2, seed=0), nn.Tanh(), nn.Linear(2, 1, seed=100)).double()
    assert gradient_descent(model, XOR, steps=1500, lr=0.5) == 1.0


def test_stacked_linear_layers_without_activation_are_one_linear_layer() -> None:
    # a^[2] = W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂)
    stack = nn.Sequential(nn.Linear(5, 7, seed=0), nn.Linear(7, 4, seed=1),
                          nn.Linear(4, 3, seed=2)).double()
    W, b = np.eye(5), np.zeros(5)
    for layer in stack:
        W, b = layer.weight.data @ W, layer.weight.data @ b + layer.bias.data
    single = nn.Linear(5, 3, dtype="float64")
    single.weight.data[...] = W
    single.bias.data[...] = b
    x = np.random.default_rng(0).standard_normal((10, 5))
    np.testing.assert_allclose(stack(x).data, single(x).data, rtol=1e-12, atol=1e-12)


def _train_hidden(init: str | None, seed: int) -> nn.Linear:
    hidden = nn.Linear(2, 4, init=init, seed=seed).double()
    model = nn.Sequential(hidden, nn.Sigmoid(), nn.Linear(4, 1, init=init, seed=seed + 1).double())
    gradient_descent(model, OR, steps=200, lr=1.0)  # OR: unbalanced, so the weights move
    return hidden


def test_zero_initialization_keeps_hidden_units_identical() -> None:
    hidden = _train_hidden("zeros", 0)
    w, b = hidden.weight.data, hidden.bias.data
    assert np.ptp(w[:, 0]) + np.ptp(w[:, 1]) + np.ptp(b) < 1e-12  # every row is the same unit
    assert not np.allclose(b, 0)  # …although training did move them


def test_random_initialization_breaks_the_symmetry() -> None:
    w = _train_hidden(None, 0).weight.data
    distances = [np.abs(w[i] - w[j]).max() for i in range(4) for j in range(i + 1, 4)]
    assert min(distances) > 1e-3


def test_hardmax_is_the_one_hot_argmax_and_softmax_its_soft_version() -> None:
    z = ml.tensor([[1.0, 3.0, 2.0], [5.0, 5.0, -1.0]])
    np.testing.assert_array_equal(nn.functional.hardmax(z).data, [[0, 1, 0], [1, 0, 0]])
    soft = nn.functional.softmax(z * 50).data
    np.testing.assert_allclose(soft[0], [0, 1, 0], atol=1e-20)
    assert not nn.functional.hardmax(ml.tensor([1.0, 2.0], requires_grad=True)).requires_grad
