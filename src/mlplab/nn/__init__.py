"""``ml.nn``: modules, layers, activations, losses, initializers and their functional forms.

>>> import mlplab as ml
>>> model = ml.nn.Sequential(ml.nn.Linear(2, 2, seed=0), ml.nn.Tanh(), ml.nn.Linear(2, 1, seed=1))
>>> model
Sequential(
  (0): Linear(in_features=2, out_features=2, bias=True)
  (1): Tanh()
  (2): Linear(in_features=2, out_features=1, bias=True)
)
"""

from mlplab.nn import functional, init, penalties, utils
from mlplab.nn.activation import (
    ACTIVATIONS,
    ELU,
    LeakyReLU,
    PReLU,
    ReLU,
    RReLU,
    Sigmoid,
    Softmax,
    Tanh,
    get_activation,
)
from mlplab.nn.container import ModuleList, Sequential
from mlplab.nn.dropout import Dropout, GaussianNoise
from mlplab.nn.init import get_initializer
from mlplab.nn.linear import Identity, Linear
from mlplab.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HingeLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    MultiMarginLoss,
    NLLLoss,
)
from mlplab.nn.maxout import Maxout
from mlplab.nn.module import Module, StochasticModule
from mlplab.nn.normalization import BatchNorm1d, LayerNorm
from mlplab.nn.parameter import Parameter
from mlplab.nn.penalties import l1_penalty, l2_penalty
from mlplab.nn.perceptron import Perceptron
from mlplab.nn.summary import summary

__all__ = [
    "ACTIVATIONS", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Dropout",
    "ELU", "GaussianNoise", "HingeLoss", "HuberLoss", "Identity", "L1Loss", "LayerNorm",
    "LeakyReLU", "Linear", "MSELoss", "Maxout", "Module", "ModuleList", "MultiMarginLoss",
    "NLLLoss", "PReLU", "Parameter", "Perceptron", "RReLU", "ReLU", "Sequential", "Sigmoid",
    "Softmax", "StochasticModule", "Tanh", "functional", "get_activation", "get_initializer",
    "init", "l1_penalty", "l2_penalty", "penalties", "summary", "utils",
]
