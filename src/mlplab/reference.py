"""Vectorized backpropagation, derived by hand: NumPy only, no autograd.

This module is an *independent oracle*: the tests require the gradients that
autograd computes for an ``ml.nn.Sequential`` to equal the ones below. Nothing
here imports the rest of mlplab.

Layout: one example per **column**. X = A^[0] has shape
(n^[0], m), W^[l] has shape (n^[l], n^[l−1]), b^[l] has shape (n^[l], 1).

Forward, for l = 1 … L:

    Z^[l] = W^[l] A^[l−1] + b^[l]          A^[l] = g^[l](Z^[l])

Cost, averaged over the m examples:

    cross-entropy, sigmoid output:  J = −(1/m) Σ [Y log A^[L] + (1 − Y) log(1 − A^[L])]
    cross-entropy, softmax output:  J = −(1/m) Σ Y log A^[L]     (Y one-hot per column)
    MSE (the textbook C = ½‖y − h‖²): J = (1/m) Σ ½ ‖Y − A^[L]‖²

Backward:

    dZ^[L] = A^[L] − Y                      (sigmoid or softmax output with cross-entropy)
    dZ^[L] = (A^[L] − Y) ⊙ g′(Z^[L])        (MSE)
    dW^[l] = (1/m) dZ^[l] A^[l−1]ᵀ          db^[l] = (1/m) Σ_columns dZ^[l]
    dA^[l−1] = W^[l]ᵀ dZ^[l]                dZ^[l−1] = dA^[l−1] ⊙ g′(Z^[l−1])

the last line being δ^l = (W^{l+1})ᵀ δ^{l+1} ⊙ g′(z^l), with
g′ = a(1 − a) for sigmoid, 1 − a² for tanh, [z > 0] for ReLU, 1 for linear.
"""

from __future__ import annotations

from typing import Any

import numpy as np

HIDDEN = ("sigmoid", "tanh", "relu", "linear")
OUTPUTS = ("sigmoid", "softmax", "linear", "tanh", "relu")
LOSSES = ("cross_entropy", "mse")


def activate(Z: np.ndarray, name: str) -> np.ndarray:
    """A = g(Z) for one of sigmoid, tanh, relu, linear, softmax (softmax down each column)."""
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-Z))
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "linear":
        return Z
    if name == "softmax":
        t = np.exp(Z - Z.max(axis=0, keepdims=True))  # t = e^z, shifted: same ratios
        return t / t.sum(axis=0, keepdims=True)
    raise ValueError(f"unknown activation {name!r}; use one of {HIDDEN + ('softmax',)}")


def derivative(Z: np.ndarray, A: np.ndarray, name: str) -> np.ndarray:
    """g′(Z), written with the output A where possible: σ′ = a(1 − a), tanh′ = 1 − a²."""
    if name == "sigmoid":
        return A * (1.0 - A)
    if name == "tanh":
        return 1.0 - A * A
    if name == "relu":
        return (Z > 0).astype(Z.dtype)
    if name == "linear":
        return np.ones_like(Z)
    raise ValueError(f"no elementwise derivative for {name!r}")


def initialize(layer_dims: list[int], seed: int = 0, scale: float | None = None
               ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Random W^[l] ~ N(0, 1)·√(1/n^[l−1]) (or ·scale) and b^[l] = 0."""
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for n_prev, n in zip(layer_dims[:-1], layer_dims[1:], strict=True):
        std = np.sqrt(1.0 / n_prev) if scale is None else scale
        weights.append(rng.standard_normal((n, n_prev)) * std)
        biases.append(np.zeros((n, 1)))
    return weights, biases


def forward(X: np.ndarray, weights: list[np.ndarray], biases: list[np.ndarray],
            hidden: str = "relu", output: str = "sigmoid"
            ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Forward propagation; returns (Zs, As) with As[0] = X and As[l] = A^[l]."""
    Zs, As = [], [X]
    for l, (W, b) in enumerate(zip(weights, biases, strict=True), start=1):
        Z = W @ As[-1] + b
        Zs.append(Z)
        As.append(activate(Z, output if l == len(weights) else hidden))
    return Zs, As


def cost(AL: np.ndarray, Y: np.ndarray, output: str = "sigmoid",
         loss: str = "cross_entropy") -> float:
    """J averaged over the m columns (see the module docstring)."""
    m = Y.shape[1]
    if loss == "mse":
        return float(0.5 * np.sum((Y - AL) ** 2) / m)
    if output == "sigmoid":
        return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
    if output == "softmax":
        return float(-np.sum(Y * np.log(AL)) / m)
    raise ValueError(f"cross-entropy needs a sigmoid or softmax output, got {output!r}")


def backward(Y: np.ndarray, weights: list[np.ndarray], Zs: list[np.ndarray],
             As: list[np.ndarray], hidden: str = "relu", output: str = "sigmoid",
             loss: str = "cross_entropy") -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Backpropagation by the hand-derived equations; returns (dWs, dbs), one per layer."""
    m = Y.shape[1]
    L = len(weights)
    if loss == "cross_entropy":
        if output not in ("sigmoid", "softmax"):
            raise ValueError(f"cross-entropy needs a sigmoid or softmax output, got {output!r}")
        dZ = As[L] - Y  # dZ^[L] = A^[L] − Y
    elif loss == "mse":
        if output == "softmax":
            raise ValueError("MSE with a softmax output is not supported here")
        dZ = (As[L] - Y) * derivative(Zs[L - 1], As[L], output)
    else:
        raise ValueError(f"unknown loss {loss!r}; use one of {LOSSES}")
    dWs: list[np.ndarray] = [np.empty(0)] * L
    dbs: list[np.ndarray] = [np.empty(0)] * L
    for l in range(L, 0, -1):  # layers L … 1; Python index l − 1
        dWs[l - 1] = dZ @ As[l - 1].T / m              # dW = (1/m) dZ A_prevᵀ
        dbs[l - 1] = dZ.sum(axis=1, keepdims=True) / m  # db = (1/m) Σ dZ
        if l > 1:
            dA_prev = weights[l - 1].T @ dZ             # dA_prev = Wᵀ dZ
            dZ = dA_prev * derivative(Zs[l - 2], As[l - 1], hidden)
    return dWs, dbs


def gradients(X: np.ndarray, Y: np.ndarray, weights: list[np.ndarray],
              biases: list[np.ndarray], hidden: str = "relu", output: str = "sigmoid",
              loss: str = "cross_entropy") -> tuple[float, list[np.ndarray], list[np.ndarray]]:
    """(J, dWs, dbs) for the network at (X, Y): one forward and one backward pass."""
    if hidden not in HIDDEN or output not in OUTPUTS:
        raise ValueError(f"hidden must be one of {HIDDEN} and output one of {OUTPUTS}, got "
                         f"{hidden!r} and {output!r}")
    Zs, As = forward(X, weights, biases, hidden, output)
    dWs, dbs = backward(Y, weights, Zs, As, hidden, output, loss)
    return cost(As[-1], Y, output, loss), dWs, dbs


def gradient_descent(X: np.ndarray, Y: np.ndarray, weights: list[np.ndarray],
                     biases: list[np.ndarray], lr: float, steps: int, **kwargs: Any
                     ) -> list[float]:
    """W := W − α dW, b := b − α db, ``steps`` times, in place; returns the cost per step."""
    costs = []
    for _ in range(steps):
        J, dWs, dbs = gradients(X, Y, weights, biases, **kwargs)
        for W, b, dW, db in zip(weights, biases, dWs, dbs, strict=True):
            W -= lr * dW
            b -= lr * db
        costs.append(J)
    return costs
