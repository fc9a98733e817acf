"""Run options on the page: the Speed select, ms per epoch, and the lr schedule plot."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from mlplab.playground import model_builder as mb
from mlplab.playground.config import make_config

from .helpers import set_config, wait_synced

LR_PIXELS = """() => {
    const c = document.querySelector('[data-testid=lr-plot]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let grey = 0, start = 0, late = 0, blue = 0;
    for (let i = 0; i < d.length; i += 4) {
        const x = (i / 4) % c.width, y = Math.floor(i / 4 / c.width);
        if (d[i + 3] > 40 && d[i] === d[i + 1] && d[i] === d[i + 2] && d[i] > 150) {
            grey += 1;                                      // the plan's #bbb line
            if (x < 10 && y < 12) start += 1;               // epoch 0: at the top
            if (x > c.width - 60 && y > c.height - 15) late += 1;  // late epochs: at 0
        }
        if (d[i + 3] > 200 && d[i + 2] > 150 && d[i] < 60) blue += 1;  // the run's #0877bd
    }
    return { grey, start, late, blue };
}"""


def wait_for(predicate, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_speed_select_reaches_the_server(page, server):
    assert server.state()["speed"] == "max"  # the fixture's fastest speed
    for choice, expected in (("20", 20), ("1", 1), ("max", "max")):
        page.get_by_test_id("speed").select_option(choice)
        wait_for(lambda expected=expected: server.state()["speed"] == expected)


def test_ms_per_epoch_is_shown(page, server):
    expect(page.get_by_test_id("epoch-ms")).to_have_text("–")
    server.cmd("step", epochs=3)
    wait_synced(page, server, 3)
    ms = server.state()["epoch_ms"]
    assert ms > 0
    expect(page.get_by_test_id("epoch-ms")).to_have_text(f"{ms:.1f}")
    assert float(page.get_by_test_id("epoch-ms").text_content()) > 0


def test_lr_plot_shows_the_schedule_before_training(page, server):
    set_config(page, schedule="cosine", schedule_epochs=30, learning_rate=0.1)
    page.wait_for_function("window.__mlplab.lastState.config.schedule === 'cosine' && "
                           "window.__mlplab.lastState.config.learning_rate === 0.1")
    assert server.state()["epoch"] == 0
    drawn = page.evaluate("document.querySelector('[data-testid=lr-plot]')._series")
    run = server.running.session.run
    steps = run.steps_per_epoch()
    schedule = mb.make_schedule(make_config(server.state()["config"]), steps)
    assert drawn["epochs"][0] == 0 and drawn["epochs"][-1] == 100
    assert drawn["lr"] == pytest.approx([schedule(e * steps) for e in drawn["epochs"]])
    assert drawn["lr"][0] == pytest.approx(0.1) and drawn["lr"][30] == pytest.approx(0.0)
    pixels = page.evaluate(LR_PIXELS)
    assert pixels["grey"] > 100 and pixels["start"] and pixels["late"], pixels
    assert pixels["blue"] == 0  # the plan only: nothing run yet
    server.cmd("step", epochs=10)
    wait_synced(page, server, 10)
    assert page.evaluate(LR_PIXELS)["blue"] > 10  # the epochs run, highlighted
