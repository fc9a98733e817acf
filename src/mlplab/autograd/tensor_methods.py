"""Attach operators and methods to ``Tensor`` (kept apart so tensor.py needs no op imports)."""

from __future__ import annotations

from typing import Any

from mlplab.autograd import functions as fn
from mlplab.autograd import ops
from mlplab.autograd.functions import _plain
from mlplab.autograd.tensor import Tensor


def _compare(op):
    def method(self: Tensor, other: Any) -> Tensor:
        other = other.data if isinstance(other, Tensor) else other
        return Tensor(op(self.data, other))  # comparisons are not differentiable
    return method


def _getitem(self: Tensor, index: Any) -> Tensor:
    index = _plain(index)
    if isinstance(index, list):
        index = (index,)
    return ops.getitem(self, index=index)


def _reshape(self: Tensor, *shape: Any) -> Tensor:
    return fn.reshape(self, *shape)


def _transpose(self: Tensor, *axes: Any) -> Tensor:
    if len(axes) == 1 and isinstance(axes[0], tuple | list):
        axes = tuple(axes[0])
    return fn.transpose(self, axes or None)


_METHODS = {
    "__add__": lambda a, b: ops.add(a, b),
    "__radd__": lambda a, b: ops.add(b, a),
    "__sub__": lambda a, b: ops.sub(a, b),
    "__rsub__": lambda a, b: ops.sub(b, a),
    "__mul__": lambda a, b: ops.mul(a, b),
    "__rmul__": lambda a, b: ops.mul(b, a),
    "__truediv__": lambda a, b: ops.div(a, b),
    "__rtruediv__": lambda a, b: ops.div(b, a),
    "__pow__": lambda a, b: ops.power(a, b),
    "__rpow__": lambda a, b: ops.power(b, a),
    "__matmul__": lambda a, b: ops.matmul(a, b),
    "__rmatmul__": lambda a, b: ops.matmul(b, a),
    "__neg__": lambda a: ops.neg(a),
    "__pos__": lambda a: a,
    "__abs__": lambda a: ops.abs(a),
    "__lt__": _compare(lambda a, b: a < b),
    "__le__": _compare(lambda a, b: a <= b),
    "__gt__": _compare(lambda a, b: a > b),
    "__ge__": _compare(lambda a, b: a >= b),
    "__eq__": _compare(lambda a, b: a == b),
    "__ne__": _compare(lambda a, b: a != b),
    "__getitem__": _getitem,
    "exp": fn.exp,
    "log": fn.log,
    "sqrt": fn.sqrt,
    "abs": fn.abs,
    "relu": fn.relu,
    "sigmoid": fn.sigmoid,
    "tanh": fn.tanh,
    "sum": fn.sum,
    "mean": fn.mean,
    "max": fn.max,
    "min": fn.min,
    "var": fn.var,
    "clip": fn.clip,
    "reshape": _reshape,
    "transpose": _transpose,
    "logsumexp": fn.logsumexp,
    "log_softmax": fn.log_softmax,
    "softmax": fn.softmax,
}

for _name, _method in _METHODS.items():
    setattr(Tensor, _name, _method)
