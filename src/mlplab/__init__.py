"""mlplab: a NumPy-first deep-learning library for multilayer perceptrons.

>>> import mlplab as ml
>>> x = ml.tensor(2.0, requires_grad=True)
>>> y = x * x
>>> y.backward(); float(x.grad)
4.0
"""

from mlplab import data, export, graph, io, nn, optim, reference, train, tune, viz
from mlplab.autograd import (
    Tensor,
    abs,
    clip,
    concatenate,
    enable_grad,
    exp,
    gradcheck,
    jvp,
    log,
    log_softmax,
    logsumexp,
    matmul,
    maximum,
    minimum,
    no_grad,
    relu,
    sigmoid,
    softmax,
    sqrt,
    stack,
    tanh,
    tensor,
    vjp,
    where,
)
from mlplab.backend import default_dtype, get_default_dtype, set_default_dtype
from mlplab.io import load, save
from mlplab.version import __version__

__all__ = [
    "data", "export", "io", "load", "nn", "optim", "reference", "save", "train", "tune",
    "viz",
    "Tensor", "__version__", "abs", "clip", "concatenate", "default_dtype", "enable_grad", "exp",
    "get_default_dtype", "gradcheck", "graph", "jvp", "log", "log_softmax", "logsumexp", "matmul",
    "maximum", "minimum", "no_grad", "relu", "set_default_dtype", "sigmoid", "softmax",
    "sqrt", "stack", "tanh", "tensor", "vjp", "where",
]
