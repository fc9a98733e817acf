"""ml.save / ml.load: round trips for every layer, and clear errors for bad files."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import mlplab as ml
from mlplab.io import ModelFileError

nn = ml.nn


def _layers():
    return [
        nn.Linear(4, 3, seed=0), nn.Linear(4, 3, bias=False, seed=0), nn.Identity(), nn.Sigmoid(),
        nn.Tanh(), nn.ReLU(), nn.LeakyReLU(0.2), nn.PReLU(4), nn.RReLU(0.1, 0.3), nn.ELU(0.5),
        nn.Maxout(4, 3, 2, seed=0), nn.Softmax(dim=-1), nn.Dropout(0.3), nn.GaussianNoise(0.1),
        nn.BatchNorm1d(4, eps=1e-3, momentum=0.2), nn.LayerNorm(4, eps=1e-4),
    ]


@pytest.mark.parametrize("layer", _layers(), ids=lambda layer: type(layer).__name__)
def test_every_layer_round_trips(layer, tmp_path):
    model = nn.Sequential(nn.Linear(4, 4, seed=1), layer)
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    model.train()
    model(ml.tensor(x))  # updates BatchNorm's running statistics, so buffers are non-trivial
    model.eval()
    expected = model(ml.tensor(x)).data
    path = ml.save(model, tmp_path / "m.safetensors")
    loaded = ml.load(path)
    assert repr(loaded) == repr(model)
    for (name, a), (name_b, b) in zip(model.state_dict().items(), loaded.state_dict().items(),
                                      strict=True):
        assert name == name_b
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded(ml.tensor(x)).data, expected)


def test_metadata_with_arrays_round_trips(tmp_path):
    model = nn.Sequential(nn.Linear(3, 2, seed=0))
    meta = {"class_names": ["cat", "dog"], "preprocessing": {"mean": np.arange(3.0)},
            "nested": {"pair": (1, 2)}}
    ml.save(model, tmp_path / "m.safetensors", metadata=meta)
    _, loaded = ml.load(tmp_path / "m.safetensors", with_metadata=True)
    assert loaded["class_names"] == ["cat", "dog"]
    np.testing.assert_array_equal(loaded["preprocessing"]["mean"], np.arange(3.0))
    assert loaded["nested"]["pair"] == (1, 2)
    assert loaded["input_width"] == 3


def test_truncated_file_is_reported(tmp_path):
    path = ml.save(nn.Sequential(nn.Linear(30, 20, seed=0)), tmp_path / "m.safetensors")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="truncated"):
        ml.load(path)


def test_garbage_and_empty_files_are_reported(tmp_path):
    path = tmp_path / "junk.safetensors"
    path.write_bytes(b"\x80\x04\x95pickle data, not a model")
    with pytest.raises(ModelFileError, match="not a valid mlplab model file"):
        ml.load(path)
    path.write_bytes(b"")
    with pytest.raises(ModelFileError, match="empty or truncated"):
        ml.load(path)
    with pytest.raises(FileNotFoundError, match="no such model file"):
        ml.load(tmp_path / "missing.safetensors")


def test_foreign_safetensors_file_is_reported(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "foreign.safetensors"
    save_file({"w": np.zeros(3, dtype=np.float32)}, str(path))
    with pytest.raises(ModelFileError, match="another library"):
        ml.load(path)


def test_future_format_version_is_reported(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "future.safetensors"
    meta = {"format": "mlplab", "format_version": 99, "kind": "model"}
    save_file({"weights/w": np.zeros(1, dtype=np.float32)}, str(path),
              metadata={"mlplab": json.dumps(meta)})
    with pytest.raises(ModelFileError, match="newer mlplab"):
        ml.load(path)


def test_checkpoint_is_not_loaded_as_model(tmp_path):
    path = ml.io.save_state({"a": np.ones(2)}, tmp_path / "c.safetensors")
    with pytest.raises(ModelFileError, match="not a model"):
        ml.load(path)


def test_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    first = nn.Sequential(nn.Linear(3, 2, seed=0))
    ml.save(first, path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        ml.save(nn.Sequential(nn.Linear(3, 2, seed=5)), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]  # no temp file left


def test_unknown_layer_type_is_refused(tmp_path):
    class Custom(nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(TypeError, match="register_module"):
        ml.save(nn.Sequential(Custom()), tmp_path / "m.safetensors")


def test_registered_custom_layer_round_trips(tmp_path):
    @ml.io.register_module
    class Scale(nn.Module):
        def __init__(self, factor: float = 2.0):
            super().__init__()
            self.factor = factor

        def forward(self, x):
            return x * self.factor

    ml.save(nn.Sequential(Scale(3.0)), tmp_path / "m.safetensors")
    loaded = ml.load(tmp_path / "m.safetensors")
    assert loaded[0].factor == 3.0


def test_state_round_trip_keeps_types(tmp_path):
    state = {"step": 3, "lr": 0.1, "betas": (0.9, 0.999), "inf": float("inf"),
             "arrays": [np.arange(4, dtype=np.int64), np.ones((2, 2), dtype=np.float32)],
             "by_index": {0: {"v": np.zeros(3)}}, "name": "adam", "none": None}
    ml.io.save_state(state, tmp_path / "s.safetensors")
    back = ml.io.load_state(tmp_path / "s.safetensors")
    assert back["betas"] == (0.9, 0.999) and back["step"] == 3 and back["name"] == "adam"
    assert back["inf"] == float("inf") and back["none"] is None
    np.testing.assert_array_equal(back["arrays"][0], np.arange(4))
    assert back["arrays"][1].dtype == np.float32
    np.testing.assert_array_equal(back["by_index"][0]["v"], np.zeros(3))
