"""Tensor's operators and methods are written in its class body, each one call from its op.

A reader (or an IDE's "go to definition") goes from ``x.relu()`` to ``Tensor.relu``
and from there to the primitive that holds the formula; nothing is attached later.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import mlplab as ml
from mlplab.autograd import ops
from mlplab.autograd.tensor import Tensor

METHODS = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
           "__truediv__", "__rtruediv__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__",
           "__neg__", "__abs__", "__getitem__", "__lt__", "__eq__", "exp", "log", "sqrt",
           "abs", "relu", "sigmoid", "tanh", "sum", "mean", "max", "min", "var", "clip",
           "reshape", "transpose", "logsumexp", "log_softmax", "softmax"]


@pytest.mark.parametrize("name", METHODS)
def test_method_is_defined_in_the_class_body(name: str) -> None:
    method = vars(Tensor)[name]
    assert inspect.getsourcefile(method).endswith("tensor.py")
    assert method.__qualname__ == f"Tensor.{name}"


def test_no_module_attaches_methods_with_setattr() -> None:
    import mlplab.autograd as autograd

    assert not hasattr(autograd, "tensor_methods")
    source = inspect.getsource(inspect.getmodule(Tensor))
    assert "setattr(Tensor" not in source


def test_elementwise_methods_call_their_primitive() -> None:
    x = ml.tensor([[-1.0, 2.0]], requires_grad=True)
    for name in ("exp", "relu", "sigmoid", "tanh", "abs"):
        assert getattr(x, name)()._prim is getattr(ops, name)
    assert (x + 1)._prim is ops.add and (2 * x)._prim is ops.mul and (-x)._prim is ops.neg


def test_hash_is_identity_and_comparisons_are_boolean_tensors() -> None:
    x = ml.tensor([1.0, 2.0])
    assert hash(x) == object.__hash__(x)
    np.testing.assert_array_equal((x == ml.tensor([1.0, 0.0])).data, [True, False])
    assert (x < 1.5).data.tolist() == [True, False]
