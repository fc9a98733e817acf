"""Safe model files: safetensors weights plus a JSON description (never pickle)."""

from mlplab.io.architecture import build, describe, register_module
from mlplab.io.model_file import load, load_state, restore, save, save_state
from mlplab.io.schema import ModelFileError

__all__ = ["ModelFileError", "build", "describe", "load", "load_state", "register_module",
           "restore", "save", "save_state"]
