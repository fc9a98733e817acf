"""Custom layers registered with ml.io.register_module: round trips, and refusals at save."""

from __future__ import annotations

import numpy as np
import pytest

import mlplab as ml
from mlplab.io import ModelFileError
from tests.io.hostile import model_meta, write_model

nn = ml.nn


@ml.io.register_module
class Shift(nn.Module):
    """Keeps its argument under another name: loading could not restore it."""

    def __init__(self, offset: float = 0.0):
        super().__init__()
        self.value = offset

    def forward(self, x):
        return x + self.value


@ml.io.register_module
class ShiftWithConfig(Shift):
    def get_config(self):
        return {"offset": self.value}


@ml.io.register_module
class Square(nn.Module):
    """A custom layer with a parameter whose shape follows from its argument."""

    def __init__(self, width: int):
        super().__init__()
        self.width = width
        self.scale = nn.Parameter(np.ones((width, width), dtype=np.float32))

    @staticmethod
    def state_shapes(width, **_):
        return {"scale": (width, width)}

    def forward(self, x):
        return x @ self.scale


@ml.io.register_module
class Unchecked(nn.Module):
    """A custom layer with a size argument and no ``state_shapes``."""

    def __init__(self, width: int):
        super().__init__()
        self.width = width
        self.scale = nn.Parameter(np.ones(width, dtype=np.float32))


def test_argument_not_kept_under_its_name_is_refused_at_save(tmp_path):
    # Shift(5.0) used to save without complaint and come back with offset 0
    with pytest.raises(TypeError, match=r"'offset' is not kept as self.offset.*get_config"):
        ml.save(nn.Sequential(Shift(5.0)), tmp_path / "m.safetensors")
    assert not (tmp_path / "m.safetensors").exists()


def test_get_config_restores_what_attributes_cannot(tmp_path):
    ml.save(nn.Sequential(ShiftWithConfig(5.0)), tmp_path / "m.safetensors")
    assert ml.load(tmp_path / "m.safetensors")[0].value == 5.0


def test_custom_state_shapes_are_checked_before_building(tmp_path):
    ml.save(nn.Sequential(Square(3)), tmp_path / "m.safetensors")
    assert ml.load(tmp_path / "m.safetensors")[0].scale.shape == (3, 3)
    meta = model_meta({"type": "Square", "args": {"width": 10**6}})
    path = write_model(tmp_path / "h.safetensors", meta,
                       {"weights/scale": np.ones((3, 3), np.float32)})
    with pytest.raises(ModelFileError, match=r"needs 'scale' of shape \(1000000, 1000000\)"):
        ml.load(path)


def test_custom_size_argument_without_state_shapes_is_bounded(tmp_path):
    ml.save(nn.Sequential(Unchecked(3)), tmp_path / "m.safetensors")
    assert ml.load(tmp_path / "m.safetensors")[0].width == 3
    meta = model_meta({"type": "Unchecked", "args": {"width": 10**10}})
    path = write_model(tmp_path / "h.safetensors", meta,
                       {"weights/scale": np.ones(3, np.float32)})
    with pytest.raises(ModelFileError, match="larger than any tensor.*state_shapes"):
        ml.load(path)


def test_custom_constructor_failure_is_a_model_file_error(tmp_path):
    meta = model_meta({"type": "Unchecked", "args": {"width": "wide"}})
    with pytest.raises(ModelFileError, match=r"Unchecked\) cannot be built.*TypeError"):
        ml.load(write_model(tmp_path / "h.safetensors", meta))


@ml.io.register_module
class Window(nn.Module):
    """A large integer argument that is no tensor's size: the loader cannot tell."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size


def test_what_load_would_refuse_is_refused_at_save(tmp_path):
    ml.save(nn.Sequential(Window(100)), tmp_path / "m.safetensors")
    with pytest.raises(ValueError, match="could not be loaded back.*state_shapes"):
        ml.save(nn.Sequential(Window(5000)), tmp_path / "m.safetensors")
