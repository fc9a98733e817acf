"""Browser tests of the playground page: Debian's chromium driven by Playwright (sync API).

One browser per session and one real server per module (``mlplab playground`` in a
subprocess on a free port). Without chromium the tests skip locally and fail under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.request
from pathlib import Path

import pytest

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(tempfile.gettempdir()) / "mlplab-playground-failures"


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium")
    if exe is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it")
        pytest.skip(reason)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=FLAGS)
        yield b
        b.close()


class Server:
    """A real playground server in a thread, with small helpers for its JSON API."""

    def __init__(self) -> None:
        from mlplab.playground.server import RunningServer

        self.running = RunningServer(seed=0)
        self.url = self.running.url.rstrip("/")

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=10) as r:
            body = r.read().decode()
        return json.loads(body) if r.headers.get_content_type() == "application/json" else body

    def cmd(self, op: str, **body):
        data = json.dumps({"op": op, **body}).encode()
        req = urllib.request.Request(self.url + "/api/cmd", data=data,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def state(self):
        return self.get("/api/state")

    def fresh(self, **config) -> None:
        """Paused, default config plus ``config``, epoch 0, fastest speed."""
        schema = self.get("/api/schema")["fields"]
        defaults = {name: f["default"] for name, f in schema.items()}
        self.cmd("pause")
        self.cmd("set", config={**defaults, **config})
        self.cmd("reset")
        self.cmd("speed", epochs_per_frame="max")


@pytest.fixture(scope="module")
def server():
    pytest.importorskip("fastapi")
    s = Server()
    yield s
    s.running.stop()


@pytest.fixture
def page(browser, server, request):
    """A fresh page on a fresh (paused, default) run; screenshot kept on failure."""
    server.fresh()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server.url + "/")
    pg.wait_for_function("window.__mlplab && window.__mlplab.frames > 0")
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SHOTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"))
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
