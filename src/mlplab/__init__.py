"""mlplab: a NumPy-first deep-learning library for multilayer perceptrons."""

from mlplab.backend import get_default_dtype, set_default_dtype

__version__ = "0.1.0"

__all__ = ["__version__", "get_default_dtype", "set_default_dtype"]
