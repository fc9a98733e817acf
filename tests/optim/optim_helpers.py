"""A tiny tanh MLP built twice, in mlplab and in PyTorch, from the same float64 weights.

Only Parameters and autograd ops are used (no ml.nn layers), so these tests depend on
nothing but the autograd core and the optimizers.
"""

from __future__ import annotations

import numpy as np
import torch

import mlplab as ml
from mlplab.nn.parameter import Parameter

SIZES = (5, 8, 3)  # n^[0], n^[1], n^[2]


def make_data(n: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, SIZES[0]))
    Y = np.sin(X @ rng.standard_normal((SIZES[0], SIZES[-1])))
    return X, Y


def init_weights(seed: int = 1) -> list[np.ndarray]:
    """[W1, b1, W2, b2] with W^[l] of shape (n^[l], n^[l-1]) as in the notes."""
    rng = np.random.default_rng(seed)
    out = []
    for n_in, n_out in zip(SIZES, SIZES[1:], strict=False):
        out.append(rng.standard_normal((n_out, n_in)) / np.sqrt(n_in))
        out.append(0.1 * rng.standard_normal(n_out))
    return out


def ml_params(weights: list[np.ndarray]) -> list[Parameter]:
    return [Parameter(w.copy()) for w in weights]


def torch_params(weights: list[np.ndarray]) -> list[torch.nn.Parameter]:
    return [torch.nn.Parameter(torch.tensor(w, dtype=torch.float64)) for w in weights]


def batch(X: np.ndarray, Y: np.ndarray, step: int, size: int = 8):
    """The mini-batch used at a given step (deterministic, so runs can be replayed)."""
    k = (step * size) % len(X)
    return X[k:k + size], Y[k:k + size]


def ml_loss(params, X, Y):
    W1, b1, W2, b2 = params
    a1 = ml.tanh(ml.tensor(X) @ W1.T + b1)  # a^[1] = tanh(W^[1] x + b^[1]), batch as rows
    out = a1 @ W2.T + b2
    return ((out - ml.tensor(Y)) ** 2).mean()


def torch_loss(params, X, Y):
    W1, b1, W2, b2 = params
    a1 = torch.tanh(torch.from_numpy(X) @ W1.T + b1)
    out = a1 @ W2.T + b2
    return ((out - torch.from_numpy(Y)) ** 2).mean()


def ml_step(opt, params, X, Y, step: int) -> float:
    opt.zero_grad()
    loss = ml_loss(params, *batch(X, Y, step))
    loss.backward()
    opt.step()
    return float(loss.data)


def torch_step(opt, params, X, Y, step: int) -> float:
    opt.zero_grad()
    loss = torch_loss(params, *batch(X, Y, step))
    loss.backward()
    opt.step()
    return float(loss.detach())
