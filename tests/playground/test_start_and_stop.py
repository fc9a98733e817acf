"""Starting the playground (port fallback, browser, CLI, --data) and the run options
that decide how it trains: speed, wall time per epoch, stop conditions, lr plan."""

from __future__ import annotations

import math
import select
import socket
import subprocess
import sys
import threading
import time

import httpx
import numpy as np
import pytest

from mlplab.cli import main
from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config
from mlplab.playground.run_state import PlaygroundRun
from mlplab.playground.server import bind_socket
from mlplab.playground.session import Session, parse_and_submit
from mlplab.train.callbacks.early_stopping import EarlyStopping

SMALL = {"num_samples": 60}


@pytest.fixture()
def busy_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture()
def no_serving(monkeypatch):
    """uvicorn's blocking run() replaced: records the app it would have served."""
    import uvicorn

    apps = []
    monkeypatch.setattr(uvicorn.Server, "run",
                        lambda self, sockets=None: apps.append(self.config.app))
    return apps


@pytest.fixture()
def opened(monkeypatch):
    """webbrowser.open replaced: the URLs it was asked to open, and an event."""
    import webbrowser

    urls: list[str] = []
    done = threading.Event()

    def fake_open(url, *args, **kwargs):
        urls.append(url)
        done.set()
        return True
    monkeypatch.setattr(webbrowser, "open", fake_open)
    return urls, done


# ----- row 1: start
def test_busy_port_falls_back_to_a_free_one(busy_port):
    sock, note = bind_socket("127.0.0.1", busy_port)
    try:
        other = sock.getsockname()[1]
        assert other != busy_port and other > 0
        assert note == f"port {busy_port} is busy; using {other} instead"
    finally:
        sock.close()


def test_cli_prints_the_url_and_the_fallback_and_opens_the_browser(busy_port, no_serving,
                                                                    opened, capsys):
    urls, done = opened
    assert main(["playground", "--port", str(busy_port)]) == 0
    out, err = capsys.readouterr()
    assert f"note: port {busy_port} is busy; using" in err
    url = out.split("mlplab playground: ")[1].split()[0]
    assert url.startswith("http://127.0.0.1:") and url != f"http://127.0.0.1:{busy_port}/"
    assert done.wait(5) and urls == [url]
    assert len(no_serving) == 1


def test_cli_no_browser_opens_nothing(no_serving, opened, capsys):
    urls, done = opened
    assert main(["playground", "--no-browser"]) == 0
    assert "mlplab playground: http://127.0.0.1:" in capsys.readouterr().out
    assert not done.wait(1.0) and urls == []  # serve's timer would fire after 0.5 s


def test_cli_data_csv_starts_from_its_points(tmp_path, no_serving, capsys):
    points = tmp_path / "points.csv"
    points.write_text("x1,x2,label\n" + "".join(
        f"{x},{-x},{1 if x > 0 else 0}\n" for x in (-3, -2, -1, 1, 2, 3)))
    assert main(["playground", "--no-browser", "--data", str(points),
                 "--perc-train-data", "50"]) == 0
    data = no_serving[0].state.session.run.data
    got = np.concatenate([data.train_x, data.test_x])
    assert len(got) == 6 and sorted(got[:, 0].tolist()) == [-3, -2, -1, 1, 2, 3]
    assert np.array_equal(got[:, 1], -got[:, 0])


def first_line(proc: subprocess.Popen, timeout: float = 30.0) -> str:
    """The child's first stdout line, or '' after ``timeout`` (never blocks forever)."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline() if ready else ""


def test_real_subprocess_serves_the_page():
    # stderr not piped: a pipe nobody reads can fill up, and reading it waits for exit
    proc = subprocess.Popen([sys.executable, "-m", "mlplab", "playground", "--no-browser",
                             "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = first_line(proc)
        assert "mlplab playground: http://127.0.0.1:" in line, f"printed {line!r}"
        url = line.split("mlplab playground: ")[1].split()[0]
        end = time.monotonic() + 20
        while True:  # the URL is printed just before uvicorn starts listening
            try:
                reply = httpx.get(url, timeout=5)
                break
            except httpx.ConnectError:
                assert time.monotonic() < end, "the server never answered"
                time.sleep(0.1)
        assert reply.status_code == 200 and 'data-testid="epoch"' in reply.text
        assert httpx.get(url + "api/state", timeout=5).json()["epoch"] == 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ----- row 3: speed
def published_epochs(session: Session, seconds: float) -> list[int]:
    """The epoch of every snapshot the worker publishes while running."""
    seen, version, end = [], session.state_version, time.monotonic() + seconds
    while time.monotonic() < end:
        version = session.wait_for_change(version, 0.5)
        state = session.state(with_data=False)
        if state["running"]:
            seen.append(state["epoch"])
    return seen


@pytest.mark.parametrize("speed", [1, 5])
def test_speed_n_runs_n_epochs_per_published_frame(speed):
    session = Session(make_config(SMALL))
    session.start()
    try:
        parse_and_submit(session, {"op": "speed", "epochs_per_frame": speed})
        parse_and_submit(session, {"op": "play"})
        seen = published_epochs(session, 1.0)
    finally:
        session.close()
    assert len(seen) >= 3 and session.state()["speed"] == speed
    # every frame adds `speed` epochs; a frame whose snapshot was skipped adds 2·speed
    steps = np.diff(seen)
    assert all(e % speed == 0 for e in seen) and (steps > 0).all()
    assert (steps % speed == 0).all() and (steps == speed).any()


def test_speed_max_runs_more_than_one_epoch_per_frame():
    session = Session(make_config(SMALL))
    session.start()
    try:
        parse_and_submit(session, {"op": "speed", "epochs_per_frame": "max"})
        parse_and_submit(session, {"op": "play"})
        seen = published_epochs(session, 1.0)
    finally:
        session.close()
    assert len(seen) >= 2 and max(np.diff(seen)) > 1


# ----- row 4: wall time per epoch
def test_epoch_ms_is_a_positive_time_after_training():
    session = Session(make_config(SMALL))
    assert session.state()["epoch_ms"] == 0
    parse_and_submit(session, {"op": "step", "epochs": 3})
    ms = session.state()["epoch_ms"]
    assert isinstance(ms, float) and 0 < ms < 60_000


# ----- row 5: stop conditions
def test_target_loss_stops_at_the_first_epoch_at_or_below_it():
    learns = {"num_samples": 100, "optimizer": "adam", "learning_rate": 0.03}
    reference = PlaygroundRun(make_config(learns))  # the same run, no stop condition
    for _ in range(40):
        reference.train_epoch()
    losses = [row["test_loss"] for row in reference.scalars]
    target = losses[14]  # reached exactly at epoch 15: "at or below" is what stops it
    first = next(i for i, v in enumerate(losses) if v <= target) + 1
    assert first == 15
    session = Session(make_config({**learns, "target_loss": target}))
    session.running = True
    while session.running and session.run.epoch < 40:
        session._one_epoch()
    assert session.run.epoch == first and not session.running
    assert "reached the target" in session.run.message["text"]


def test_early_stopping_is_the_librarys_callback_with_its_rule():
    """Strict improvement (min_delta 0), patience counted in epochs without one."""
    session = Session(make_config({**SMALL, "patience": 3}))
    decisions = []
    for epoch, loss in enumerate([1.0, 0.8, 0.85, 0.8, 0.9], start=1):
        session.run.epoch = epoch
        decisions.append(session.early_stop(loss))
    assert isinstance(session.run.early_stopping, EarlyStopping)
    assert decisions == [False, False, False, False, True]  # 0.8 again is no better
    assert session.run.early_stopping.best_epoch == 2
    session.run.epoch = 6
    assert not session.early_stop(0.7)  # played on: a new best resets the count


# ----- row 35: the lr schedule ahead
@pytest.mark.parametrize("kind", ["constant", "inverse_time", "exponential", "step",
                                  "cosine", "cyclic"])
def test_lr_plan_before_training_follows_the_schedule(kind):
    config = make_config({**SMALL, "schedule": kind, "schedule_epochs": 20,
                          "learning_rate": 0.1, "batch_size": 10})
    plan = Session(config).state()["lr_plan"]
    steps = mb.steps_per_epoch(config, 30)  # 60 points, half of them for training
    schedule = mb.make_schedule(config, steps)
    assert plan["epochs"][0] == 0 and plan["epochs"][-1] == 100
    expected = [schedule if isinstance(schedule, float) else schedule(e * steps)
                for e in plan["epochs"]]
    assert plan["lr"] == pytest.approx(expected)
    assert kind == "constant" or len(set(plan["lr"])) > 2


def test_lr_plan_matches_the_epochs_run_and_looks_ahead():
    session = Session(make_config({**SMALL, "schedule": "cosine", "schedule_epochs": 30}))
    parse_and_submit(session, {"op": "step", "epochs": 60})
    state = session.state(with_data=False)
    plan = dict(zip(state["lr_plan"]["epochs"], state["lr_plan"]["lr"], strict=True))
    assert max(plan) == 120
    for row in state["scalars"]:
        if row["epoch"] in plan:
            assert math.isclose(row["lr"], plan[row["epoch"]], rel_tol=1e-9, abs_tol=1e-12)
