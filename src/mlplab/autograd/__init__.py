"""Automatic differentiation on a computational graph (reverse mode, plus forward mode)."""

from mlplab.autograd import graph
from mlplab.autograd.forward import jvp, vjp
from mlplab.autograd.functions import (
    abs,
    clip,
    concatenate,
    exp,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    relu,
    reshape,
    sigmoid,
    softmax,
    sqrt,
    stack,
    sum,
    tanh,
    transpose,
    var,
    where,
)
from mlplab.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad
from mlplab.autograd.gradcheck import GradcheckError, GradcheckResult, gradcheck
from mlplab.autograd.primitive import REGISTRY, Primitive, ShapeError, unbroadcast
from mlplab.autograd.tensor import Tensor, as_tensor, tensor

__all__ = [
    "REGISTRY", "GradcheckError", "GradcheckResult", "Primitive", "ShapeError", "Tensor", "abs",
    "as_tensor",
    "clip", "concatenate", "enable_grad", "exp", "gradcheck", "graph", "is_grad_enabled", "jvp",
    "log", "log_softmax", "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum",
    "no_grad", "relu", "reshape", "sigmoid", "softmax", "sqrt", "stack", "sum", "tanh", "tensor",
    "transpose", "unbroadcast", "var", "vjp", "where",
]
