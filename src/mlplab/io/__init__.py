"""Safe model files: safetensors weights plus a JSON description (never pickle)."""

from mlplab.io.architecture import build, describe, register_module
from mlplab.io.container import ModelFileError
from mlplab.io.model_file import load, load_state, save, save_state

__all__ = ["ModelFileError", "build", "describe", "load", "load_state", "register_module",
           "save", "save_state"]
