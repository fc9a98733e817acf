"""Save & load: the model file (``ml.save``), the weights JSON, and loading a model back."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

import mlplab as ml
from mlplab.checks import ParameterError
from mlplab.playground import model_io
from mlplab.playground.commands import parse_command
from mlplab.playground.config import make_config
from mlplab.playground.session import Session

TRAINED = {"network_shape": [3, 2], "activation": "tanh", "x_squared": True,
           "learning_rate": 0.03, "num_samples": 200, "standardize": True}


def weights_of(session: Session) -> dict[str, np.ndarray]:
    return {k: np.array(v) for k, v in session.run.model.state_dict().items()}


def trained_session(epochs: int = 4, **config) -> Session:
    session = Session(make_config({**TRAINED, **config}))
    session.submit(parse_command({"op": "step", "epochs": epochs}))
    return session


@pytest.mark.parametrize("extra", [{}, {"activation": "prelu", "batch_norm": True},
                                   {"activation": "maxout"},
                                   {"dataset": "blobs", "classes": 3, "dropout": 0.2}])
def test_save_then_load_restores_config_weights_and_epoch_bit_for_bit(extra):
    source = trained_session(**extra)
    saved_weights, saved_config = weights_of(source), source.run.config
    raw = model_io.model_file_bytes(source.run)

    target = Session(make_config({"network_shape": [5], "dataset": "xor", "seed": 9}))
    target.submit(model_io.read_model_file(raw))
    assert target.run.config == saved_config
    assert target.run.epoch == 4 and not target.running
    loaded = weights_of(target)
    assert loaded.keys() == saved_weights.keys()
    for name, value in saved_weights.items():
        assert loaded[name].dtype == value.dtype
        assert loaded[name].tobytes() == value.tobytes(), name  # bit for bit
    # the same data (same data seed) and weights: the same test loss
    assert target.run.scalars[-1]["test_loss"] == source.run.scalars[-1]["test_loss"]
    target.submit(parse_command({"op": "step", "epochs": 1}))  # training goes on
    assert target.run.epoch == 5
    assert not np.array_equal(weights_of(target)["0.weight"], saved_weights["0.weight"])


def test_the_model_file_loads_with_ml_load_and_keeps_the_config(tmp_path):
    session = trained_session()
    path = tmp_path / "saved.safetensors"
    path.write_bytes(model_io.model_file_bytes(session.run))
    model, meta = ml.load(path, with_metadata=True)
    assert meta["playground"]["config"] == session.run.config.model_dump()
    assert meta["playground"]["epoch"] == 4
    assert meta["playground"]["features"] == ["x", "y", "x_squared"]
    mean, std = session.run.scaling
    assert np.allclose(meta["playground"]["scaling"]["mean"], mean)
    assert np.allclose(meta["playground"]["scaling"]["std"], std)
    x = session.run.test_x[:7]
    assert np.array_equal(np.asarray(model(ml.tensor(x)).data), session.run.predict(x)
                          .astype(np.float32))


def test_weights_json_holds_each_layer_exactly():
    session = trained_session()
    body = model_io.weights_json(session.run)
    assert body["config"] == session.run.config.model_dump() and body["epoch"] == 4
    assert [layer["activation"] for layer in body["layers"]] == ["tanh", "tanh", "output"]
    for layer, (w, b) in zip(body["layers"], session.run.weights(), strict=True):
        assert np.array_equal(np.array(layer["weight"], np.float32), w)   # bit for bit
        assert np.array_equal(np.array(layer["bias"], np.float32), b)
    assert np.array(body["layers"][0]["weight"]).shape == (3, 3)          # (n^[1], n^[0])


def one_line_error(call) -> str:
    with pytest.raises(ParameterError) as err:
        call()
    text = str(err.value)
    assert text.startswith("model file: ") and "\n" not in text and len(text) < 500
    return text


def test_bad_model_files_are_refused_in_one_line(tmp_path):
    assert "not a model saved by mlplab" in one_line_error(
        lambda: model_io.read_model_file(b"\x00garbage" * 50))
    assert "empty" in one_line_error(lambda: model_io.read_model_file(b""))
    assert "over the limit" in one_line_error(
        lambda: model_io.read_model_file(b"0" * (model_io.MAX_MODEL_BYTES + 1)))
    # a model saved outside the playground: no playground config
    plain = ml.save(ml.nn.Sequential(ml.nn.Linear(2, 3)), tmp_path / "plain.safetensors")
    assert "no playground config" in one_line_error(
        lambda: model_io.read_model_file(plain.read_bytes()))
    # another architecture than its config describes
    session = trained_session()
    meta = {"playground": model_io.playground_metadata(session.run)}
    other = ml.save(ml.nn.Sequential(ml.nn.Linear(3, 4), ml.nn.Tanh(), ml.nn.Linear(4, 1)),
                    tmp_path / "other.safetensors", metadata=meta)
    assert "do not fit the network" in one_line_error(
        lambda: model_io.read_model_file(other.read_bytes()))
    # a config that does not validate
    meta["playground"]["config"]["learning_rate"] = -1
    bad = ml.save(session.run.model, tmp_path / "bad.safetensors", metadata=meta)
    assert "config is not valid" in one_line_error(
        lambda: model_io.read_model_file(bad.read_bytes()))


@pytest.fixture(scope="module")
def client():
    from mlplab.playground.server import RunningServer

    with RunningServer(make_config(TRAINED), seed=1) as running, \
            httpx.Client(base_url=running.url, timeout=20) as c:
        yield c


def test_endpoints_download_and_upload_a_model(client):
    client.post("/api/cmd", json={"op": "step", "epochs": 3})
    before = client.get("/api/state").json()
    reply = client.get("/api/model")
    assert reply.status_code == 200
    assert "attachment" in reply.headers["content-disposition"]
    saved = reply.content
    weights = client.get("/api/weights").json()
    assert weights["layers"][0]["weight"] == before["network"]["weights"][0]

    client.post("/api/cmd", json={"op": "set", "config": {"network_shape": [6]}})
    client.post("/api/cmd", json={"op": "step", "epochs": 2})
    loaded = client.post("/api/model", content=saved)
    assert loaded.status_code == 200 and loaded.json()["epoch"] == 3
    after = client.get("/api/state").json()
    assert after["config"] == before["config"] and after["epoch"] == 3
    assert client.get("/api/weights").json()["state"] == weights["state"]

    bad = client.post("/api/model", content=b"not a model")
    assert bad.status_code == 422 and bad.json()["error"].startswith("model file: ")
    big = client.post("/api/model", content=b"0" * (model_io.MAX_MODEL_BYTES + 10))
    assert big.status_code == 413 and "limit" in big.json()["error"]
    assert client.get("/api/state").json()["config"] == before["config"]  # nothing changed
