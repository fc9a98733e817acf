"""Hostile model files end in one clear ModelFileError, before anything big is allocated.

Each case is one of the 26 that escaped in the fuzzing report: wrong JSON types in the
description, layers far larger than the weights the file holds, and nesting deep
enough to exhaust the stack. The loader must refuse them with one line naming the file.
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

import mlplab as ml
from mlplab.io import ModelFileError
from tests.io.hostile import (
    model_meta,
    nested,
    nested_sequential,
    raw_file,
    real_model_bytes,
    write_model,
)

LINEAR = {"type": "Linear", "args": {"in_features": 2, "out_features": 1}}
LINEAR_STATE = {"weights/weight": np.zeros((1, 2), np.float32),
                "weights/bias": np.zeros(1, np.float32)}
WRONG_TYPES = [None, [], [1, 2], 3, 2.5, "text", True]


def _refused(path, match=None):
    with pytest.raises(ModelFileError, match=match) as info:
        ml.load(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message, message
    assert len(message) < 800, message
    return message


WRONG_FIELDS = [(field, value) for field in ("architecture", "metadata", "scalars")
                for value in WRONG_TYPES
                if not (field == "scalars" and value == [])]  # no scalars is valid


@pytest.mark.parametrize("field, value", WRONG_FIELDS, ids=repr)
def test_wrong_json_type_in_a_description_field(tmp_path, field, value):
    meta = model_meta(LINEAR)
    meta[field] = value
    _refused(write_model(tmp_path / "m.safetensors", meta, LINEAR_STATE))


def test_an_empty_list_of_scalars_loads(tmp_path):
    meta = model_meta(LINEAR)
    meta["scalars"] = []
    model = ml.load(write_model(tmp_path / "m.safetensors", meta, LINEAR_STATE))
    assert isinstance(model, ml.nn.Module)


@pytest.mark.parametrize("layers", ["ReLU", [1, 2], [None], [["ReLU"]], {"0": LINEAR}])
def test_sequential_with_malformed_layers(tmp_path, layers):
    meta = model_meta({"type": "Sequential", "layers": layers})
    _refused(write_model(tmp_path / "m.safetensors", meta, LINEAR_STATE), "layers|layer")


@pytest.mark.parametrize("node", [
    {"type": 5}, {"type": None}, {"type": ["Linear"]}, {"type": "Linear", "args": [2, 1]},
    {"type": "Linear", "args": {"in_features": "2", "out_features": 1}},
    {"type": "Linear", "args": {"in_features": 2.0, "out_features": 1}},
    {"type": "Linear", "args": {"in_features": 2}},
    {"type": "Linear", "args": {"in_features": 2, "out_features": 1, "evil": 1}},
    {"type": "Linear", "args": {"in_features": 2, "out_features": 1, "dtype": "object"}},
    {"type": "ReLU", "layers": []}, {"type": "Sequential", "args": {"x": 1}, "layers": []},
    {"type": "Lnear", "args": {}}, {"type": "os.system", "args": {"command": "echo"}},
    {"type": "LeakyReLU", "args": {"negative_slope": [[1]]}},
])
def test_malformed_layer_description(tmp_path, node):
    meta = model_meta({"type": "Sequential", "layers": [node]})
    _refused(write_model(tmp_path / "m.safetensors", meta, LINEAR_STATE))


def test_unknown_type_suggests_the_close_name(tmp_path):
    meta = model_meta({"type": "Sequential", "layers": [{"type": "Lnear", "args": {}}]})
    _refused(write_model(tmp_path / "m.safetensors", meta), "did you mean 'Linear'")


@pytest.mark.parametrize("node", [
    {"type": "Linear", "args": {"in_features": 10_000_000, "out_features": 10_000_000}},
    {"type": "BatchNorm1d", "args": {"num_features": 10**11}},
    {"type": "Maxout", "args": {"in_features": 2, "out_features": 1, "pieces": 10**9}},
    {"type": "LayerNorm", "args": {"normalized_shape": [10**6, 10**6]}},
    {"type": "PReLU", "args": {"num_parameters": 10**12}},
], ids=lambda node: node["type"])
def test_layers_larger_than_the_stored_weights_are_refused_before_allocating(tmp_path, node):
    # a small file; building any of these would allocate between 45 GiB and 364 TiB
    path = write_model(tmp_path / "m.safetensors", model_meta(node), LINEAR_STATE)
    message = _refused(path, "needs")
    assert node["type"] in message


def test_thousands_of_layers_without_weights_are_refused(tmp_path):
    layers = [{"type": "Linear", "args": {"in_features": 1000, "out_features": 1000}}] * 10_000
    path = write_model(tmp_path / "m.safetensors", model_meta({"type": "Sequential",
                                                              "layers": layers}))
    _refused(path, "holds none")


def test_deeply_nested_description_and_metadata(tmp_path):
    for levels in (40, 5_000):  # under and over the C parser's recursion limit
        text = json.dumps(model_meta("ARCH")).replace('"ARCH"', nested_sequential(levels))
        _refused(write_model(tmp_path / "a.safetensors", text), "nested")
    text = json.dumps(model_meta(LINEAR)).replace('"metadata": {}',
                                                  f'"metadata": {nested(100_000)}')
    _refused(write_model(tmp_path / "b.safetensors", text, LINEAR_STATE), "nested")
    text = json.dumps(model_meta(LINEAR)).replace('"metadata": {}',
                                                  '"metadata": {"x": ' + nested(200) + "}")
    _refused(write_model(tmp_path / "c.safetensors", text, LINEAR_STATE), "nested")


@pytest.mark.parametrize("metadata", [
    {"a": {"__array__": "weights/missing"}}, {"a": {"__array__": 5}},
    {"a": {"__array__": ["x"]}}, {"a": {"__tuple__": 5}}, {"__int__x": 1},
    {"__int__²": 1}, {"__int__" + "9" * 40: 1},
])
def test_malformed_metadata_references(tmp_path, metadata):
    path = write_model(tmp_path / "m.safetensors", model_meta(LINEAR, metadata=metadata),
                       LINEAR_STATE)
    _refused(path)


@pytest.mark.parametrize("header", [
    [], "text", {"__metadata__": []}, {"__metadata__": {"mlplab": 5}},
    {"t": 5}, {"t": {"dtype": "F32", "shape": "3", "data_offsets": [0, 12]}},
    {"t": {"dtype": "F32", "shape": [3], "data_offsets": [0]}},
    {"t": {"dtype": "F32", "shape": [3], "data_offsets": [8, 4]}},
    {"t": {"dtype": "F32", "shape": [10**6, 10**6], "data_offsets": [0, 4]}},
    {"t": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}},
    {"t": {"dtype": 7, "shape": [1], "data_offsets": [0, 4]}},
    {"t": {"dtype": "OBJ", "shape": [1], "data_offsets": [0, 4]},
     "__metadata__": {"mlplab": json.dumps(model_meta(LINEAR))}},
    nested(50_000, "{}"),
], ids=lambda header: str(header)[:40])
def test_hand_made_safetensors_headers(tmp_path, header):
    _refused(raw_file(tmp_path / "m.safetensors", header, b"\0" * 16))


@pytest.mark.parametrize("meta_text", ["{", "[]", "null", '"model"', nested(100_000),
                                       '{"format": "mlplab", "format_version": true}',
                                       '{"format": "mlplab", "format_version": 1, "kind": []}',
                                       '{"n": ' + "9" * 5000 + "}"])
def test_corrupted_description_text(tmp_path, meta_text):
    _refused(write_model(tmp_path / "m.safetensors", meta_text))


def test_pickle_disguised_as_a_model_is_refused_without_running_it(tmp_path):
    path = tmp_path / "model.safetensors"
    path.write_bytes(pickle.dumps({"weights": [1.0, 2.0]}))
    _refused(path, "looks like a pickle.*never loads pickles")
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)  # torch.save's zip archive
    _refused(path, "looks like a pickle")


def test_description_that_does_not_match_the_weights(tmp_path):
    data = real_model_bytes(tmp_path)
    path = tmp_path / "m.safetensors"
    path.write_bytes(data.replace(b'"in_features\\": 6', b'"in_features\\": 7'))
    _refused(path, r"needs '0.weight' of shape \(5, 7\); the file holds shape \(5, 6\)")
