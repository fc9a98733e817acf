"""The training workflow: ``Trainer``, callbacks and metrics."""

from mlplab.train import callbacks, metrics
from mlplab.train.callbacks import History
from mlplab.train.checkpointing import ResumeWarning
from mlplab.train.divergence import DivergenceError, LossExplosionWarning
from mlplab.train.interrupt import TrainingInterrupted
from mlplab.train.trainer import Trainer

__all__ = ["DivergenceError", "History", "LossExplosionWarning", "ResumeWarning", "Trainer",
           "TrainingInterrupted", "callbacks", "metrics"]
