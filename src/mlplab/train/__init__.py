"""The training workflow: ``Trainer``, callbacks and metrics."""

from mlplab.train import callbacks, metrics
from mlplab.train.callbacks import DivergenceError, History
from mlplab.train.trainer import Trainer

__all__ = ["DivergenceError", "History", "Trainer", "callbacks", "metrics"]
