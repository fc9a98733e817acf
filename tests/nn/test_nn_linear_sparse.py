"""F.linear on SciPy sparse input (kept sparse), and the dtype rule (input cast to the
weight's dtype)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import torch

import mlplab as ml
from mlplab import nn

F = nn.functional


def test_sparse_input_gives_the_dense_result_and_weight_gradients() -> None:
    x = sp.random(20, 30, density=0.1, format="csr", random_state=0, dtype=np.float64)
    layer = nn.Linear(30, 5, seed=0).double()
    out = layer(x)
    assert isinstance(out.data, np.ndarray) and out.shape == (20, 5)
    g = np.random.default_rng(0).standard_normal((20, 5))
    out.backward(g)
    dense = x.toarray()
    w_t = torch.tensor(layer.weight.data, requires_grad=True)
    b_t = torch.tensor(layer.bias.data, requires_grad=True)
    expected = torch.nn.functional.linear(torch.tensor(dense), w_t, b_t)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.weight.grad, w_t.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.bias.grad, b_t.grad.numpy(), atol=1e-12)
    assert layer.weight.grad.flags["C_CONTIGUOUS"]


def test_sparse_input_is_not_densified(monkeypatch) -> None:
    x = sp.random(50, 40, density=0.05, format="csr", random_state=1, dtype=np.float32)

    def refuse(*args, **kwargs):
        raise AssertionError("sparse input was densified")

    monkeypatch.setattr(type(x), "toarray", refuse)
    monkeypatch.setattr(type(x), "todense", refuse)
    layer = nn.Linear(40, 3, seed=0)
    layer(x).sum().backward()
    assert layer.weight.grad.shape == (3, 40)


def test_sparse_float64_input_is_cast_to_a_float32_layer() -> None:
    x = sp.random(4, 6, density=0.5, format="csr", random_state=2, dtype=np.float64)
    out = nn.Linear(6, 2, seed=0)(x)
    assert out.dtype == np.float32


def test_dense_input_of_another_dtype_is_cast_to_the_weight_dtype() -> None:
    layer = nn.Linear(3, 2, seed=0)  # float32
    x = ml.tensor(np.ones((4, 3)), requires_grad=True)  # float64
    out = layer(x)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float64  # the gradient is cast back to the input's dtype
    np.testing.assert_allclose(x.grad, np.tile(layer.weight.data.sum(axis=0), (4, 1)), rtol=1e-6)
    assert layer(np.ones((2, 3), dtype=np.int64)).dtype == np.float32
