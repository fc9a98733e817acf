"""Keras-style callbacks: hooks the training loop calls at the start/end of training,
epochs and batches."""

from mlplab.train.callbacks.activation_stats import ActivationStats
from mlplab.train.callbacks.base import Callback, CallbackList
from mlplab.train.callbacks.checkpoint import ModelCheckpoint
from mlplab.train.callbacks.csv_logger import CSVLogger
from mlplab.train.callbacks.early_stopping import EarlyStopping
from mlplab.train.callbacks.history import History
from mlplab.train.callbacks.lr_callbacks import LearningRateScheduler, ReduceLROnPlateau
from mlplab.train.callbacks.monitor import MonitorCallback
from mlplab.train.callbacks.progress import ProgressBar
from mlplab.train.callbacks.terminate_on_nan import DivergenceError, TerminateOnNaN

__all__ = [
    "ActivationStats", "CSVLogger", "Callback", "CallbackList", "DivergenceError",
    "EarlyStopping", "History", "LearningRateScheduler", "ModelCheckpoint", "MonitorCallback",
    "ProgressBar", "ReduceLROnPlateau", "TerminateOnNaN",
]
