"""Helpers for comparing mlplab layers and losses with their PyTorch twins (float64)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import mlplab as ml

ATOL = 1e-10
RTOL = 1e-8


def copy_state(ml_module: ml.nn.Module, torch_module: torch.nn.Module) -> None:
    """Give the torch module mlplab's parameters and buffers (the names match PyTorch's)."""
    state = {k: torch.tensor(v) for k, v in ml_module.state_dict().items()}
    torch_module.load_state_dict(state, strict=True)


def randomize_buffers(module: ml.nn.Module, rng: np.random.Generator) -> None:
    """Non-trivial running statistics, so that evaluation mode is really exercised."""
    for name, buf in module.named_buffers():
        if buf.dtype.kind == "f":
            buf[...] = rng.uniform(0.5, 2.0, size=buf.shape) if "var" in name else \
                rng.standard_normal(buf.shape)


def randomize_parameters(module: ml.nn.Module, rng: np.random.Generator) -> None:
    """Parameters away from their neutral start (γ = 1, β = 0, PReLU's 0.25)."""
    for _, p in module.named_parameters():
        p.data[...] = rng.uniform(0.5, 1.5, size=p.shape) * rng.choice([-1, 1], size=p.shape)


def close(actual: Any, expected: Any, what: str, atol: float = ATOL, rtol: float = RTOL) -> None:
    if isinstance(expected, torch.Tensor):
        expected = expected.detach().numpy()
    np.testing.assert_allclose(np.asarray(actual), expected, atol=atol, rtol=rtol, err_msg=what)


def run_both(ml_module, torch_module, x_np: np.ndarray, cotangent: Any):
    """Forward and backward (with the same cotangent) on both sides; returns both results.

    ``cotangent`` is an array, or a Generator to draw a random one of the output's shape.
    """
    x_ml = ml.tensor(x_np, requires_grad=True)
    out_ml = ml_module(x_ml)
    if isinstance(cotangent, np.random.Generator):
        cotangent = cotangent.standard_normal(out_ml.shape)
    out_ml.backward(cotangent)
    x_t = torch.tensor(x_np, requires_grad=True)
    out_t = torch_module(x_t)
    out_t.backward(torch.tensor(cotangent))
    return (x_ml, out_ml), (x_t, out_t)
