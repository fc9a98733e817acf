"""All differentiable primitives (see ``mlplab.autograd.primitive`` for the VJP contract)."""

from mlplab.autograd.ops.arithmetic import add, cast, div, matmul, mul, neg, power, sub
from mlplab.autograd.ops.elementwise import (
    abs,
    clip,
    exp,
    log,
    maximum,
    minimum,
    relu,
    sigmoid,
    sqrt,
    tanh,
    where,
)
from mlplab.autograd.ops.reduce import max, mean, min, sum
from mlplab.autograd.ops.shape import concatenate, getitem, reshape, stack, transpose
from mlplab.autograd.ops.softmax import log_softmax, logsumexp, softmax

__all__ = [
    "abs", "add", "cast", "clip", "concatenate", "div", "exp", "getitem", "log", "log_softmax",
    "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "mul", "neg", "power",
    "relu", "reshape", "sigmoid", "softmax", "sqrt", "stack", "sub", "sum", "tanh", "transpose",
    "where",
]
