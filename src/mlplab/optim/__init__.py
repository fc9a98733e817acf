"""Optimizers, learning-rate schedules and the exponentially weighted average.

``ml.optim.SGD Adagrad RMSprop Adadelta Adam AdamW`` share one ``Optimizer`` loop
and PyTorch's names and semantics; ``ml.optim.schedules`` holds Keras-style
schedules (callables step → lr) accepted wherever a learning rate is.
"""

from mlplab.optim import schedules
from mlplab.optim.adadelta import Adadelta, AdadeltaState
from mlplab.optim.adagrad import Adagrad, AdagradState
from mlplab.optim.adam import Adam, AdamState, AdamW
from mlplab.optim.ewma import EWMA
from mlplab.optim.optimizer import Optimizer
from mlplab.optim.registry import OPTIMIZERS, get_optimizer
from mlplab.optim.rmsprop import RMSprop, RMSpropState
from mlplab.optim.schedules import (
    CosineDecay,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    ReduceLROnPlateau,
    StepDecay,
)
from mlplab.optim.serialization import flatten_state_dict, unflatten_state_dict
from mlplab.optim.sgd import SGD, SGDState

__all__ = [
    "EWMA", "OPTIMIZERS", "SGD", "Adadelta", "AdadeltaState", "Adagrad", "AdagradState", "Adam",
    "AdamState", "AdamW", "CosineDecay", "ExponentialDecay", "InverseTimeDecay",
    "LearningRateSchedule", "Optimizer", "PiecewiseConstantDecay", "RMSprop", "RMSpropState",
    "ReduceLROnPlateau", "SGDState", "StepDecay", "flatten_state_dict", "get_optimizer",
    "schedules", "unflatten_state_dict",
]
