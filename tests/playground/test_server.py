"""The JSON API and the SSE stream, against a real uvicorn server on a free port."""

from __future__ import annotations

import base64
import json

import httpx
import numpy as np
import pytest

from mlplab.playground.config import tf_compat
from mlplab.playground.server import RunningServer


@pytest.fixture(scope="module")
def server():
    with RunningServer(tf_compat(num_samples=200), seed=1) as running:
        yield running


@pytest.fixture()
def client(server):
    with httpx.Client(base_url=server.url, timeout=20) as c:
        c.post("/api/cmd", json={"op": "pause"})
        c.post("/api/cmd", json={"op": "set", "config": tf_compat(num_samples=200)
                                 .model_dump()})
        c.post("/api/cmd", json={"op": "reset"})
        yield c


def read_events(client, n):
    events = []
    with client.stream("GET", "/api/stream") as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in reply.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append((kind, json.loads(line[5:])))
                if len(events) == n:
                    return events
    return events


def test_binds_loopback_and_serves_page_and_schema(server, client):
    assert server.url.startswith("http://127.0.0.1:")
    assert client.get("/").status_code == 200
    schema = client.get("/api/schema").json()
    assert schema["v"] == 1 and schema["fields"]["network_shape"]["url_key"] == "networkShape"
    assert len(base64.b64decode(schema["datasets"]["circle"]["thumb"])) == 256


def test_state_snapshot_fields(client):
    state = client.get("/api/state").json()
    assert (state["v"], state["type"], state["epoch"], state["running"]) == (1, "state", 0,
                                                                              False)
    heat = np.frombuffer(base64.b64decode(state["heat"]["values"]), np.uint8)
    assert heat.size == 100 * 100 and len(np.unique(heat)) > 10
    assert {"x", "y", "L0N0", "L0N3", "L1N1"} <= set(state["thumbs"])
    assert len(base64.b64decode(state["thumbs"]["L1N1"])) == 100
    assert [len(w) for w in state["network"]["weights"]] == [4, 2, 1]
    assert set(state["hist"]) == {"L0", "L1"} and len(state["hist"]["L0"]["counts"]) == 20
    assert len(state["data"]["train"]) + len(state["data"]["test"]) == 200
    assert (state["mode"], state["train_only"]) == ("eval", [])
    assert state["heat"]["scale"] == [-1.0, 1.0] and "class 1 at +1" in state["heat"][
        "quantity"]  # TF's tanh output


def test_step_and_history_and_confusion(client):
    reply = client.post("/api/cmd", json={"op": "step", "epochs": 3}).json()
    assert reply["ok"] and reply["state_version"] >= 1
    state = client.get("/api/state").json()
    assert state["epoch"] == 3 and [s["epoch"] for s in state["scalars"]] == [1, 2, 3]
    assert client.get("/api/history").json()["scalars"] == state["scalars"]
    assert sum(map(sum, state["metrics"]["confusion"])) == 100


def test_stream_sends_every_epoch_once_and_data_once(client):
    client.post("/api/cmd", json={"op": "speed", "epochs_per_frame": "max"})
    client.post("/api/cmd", json={"op": "play"})
    events = read_events(client, 12)
    client.post("/api/cmd", json={"op": "pause"})
    assert all(kind == "state" for kind, _ in events)
    epochs = [row["epoch"] for _, body in events for row in body["scalars"]]
    assert epochs == list(range(epochs[0], epochs[0] + len(epochs))) and len(epochs) >= 10
    assert "data" in events[0][1] and not any("data" in body for _, body in events[1:])
    versions = [body["state_version"] for _, body in events]
    assert versions == sorted(set(versions))


def test_bad_command_and_limits(client):
    reply = client.post("/api/cmd", json={"op": "edit_bias", "layer": 0, "unit": 0,
                                          "value": "big"})
    assert reply.status_code == 422 and reply.json()["ok"] is False
    assert "\n" not in reply.json()["error"]
    assert client.post("/api/cmd", content=b"{oops").status_code == 422
    big = client.post("/api/cmd", content=b" " * 70_000)
    assert big.status_code == 413 and "limit" in big.json()["error"]
    huge = client.post("/api/upload", content=b"1,2,1\n" * 900_000)
    assert huge.status_code == 413


def test_csv_upload_good_and_bad(client):
    rows = "x1,x2,label\n" + "".join(f"{i % 7 - 3},{i % 5 - 2},{i % 3}\n" for i in range(60))
    reply = client.post("/api/upload", content=rows.encode())
    assert reply.json() == {"ok": True, "n": 60, "state_version": reply.json()["state_version"]}
    state = client.get("/api/state").json()
    assert state["config"]["classes"] == 3 and state["network"]["layers"][-1]["units"] == 3
    bad = client.post("/api/upload", content=b"x1,x2,label\n1,2,0\n1,zz,1\n")
    assert bad.status_code == 422 and "row 2" in bad.json()["error"]


def test_flags_python_inspect_representation(client):
    flags = client.get("/api/flags").json()
    assert "--loss half_mse" in flags["flags"] and "init=tf" in flags["hash"]
    assert "mb.build_model(config)" in client.get("/api/python").text
    point = client.get("/api/inspect", params={"x": 1.0, "y": -2.0}).json()
    assert [len(layer["z"]) for layer in point["layers"]] == [4, 2, 1]
    assert point["features"] == [1.0, -2.0]
    view = client.get("/api/representation", params={"layer": 1, "i": 0, "j": 1}).json()
    assert len(view["lines"]) == 26 and len(view["lines"][0]) == 61
    assert client.get("/api/representation", params={"layer": 5}).status_code == 422


def test_copy_as_python_reproduces_a_run_played_by_the_worker(client):
    client.post("/api/cmd", json={"op": "speed", "epochs_per_frame": 3})
    client.post("/api/cmd", json={"op": "play"})
    read_events(client, 4)
    client.post("/api/cmd", json={"op": "pause"})
    state = client.get("/api/state").json()
    assert state["epoch"] >= 3 and not state["running"]
    namespace: dict = {"__name__": "snippet"}
    exec(compile(client.get("/api/python").text, "snippet.py", "exec"), namespace)
    layers = [m for m in namespace["model"] if hasattr(m, "weight")]
    for layer, w, b in zip(layers, state["network"]["weights"], state["network"]["biases"],
                           strict=True):
        assert np.array_equal(layer.weight.data, np.array(w, dtype=np.float32))
        assert np.array_equal(layer.bias.data, np.array(b, dtype=np.float32))
