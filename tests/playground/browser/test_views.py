"""The output views against the server's numbers: heatmap colours and axes, hover to
enlarge, the loss chart (log-y, smoothing, readout), regression metrics, test points, and
the noise slider's range."""

from __future__ import annotations

import base64
import math
import re

import numpy as np
from playwright.sync_api import expect

from .helpers import heat_pixels, set_config, wait_synced

# The spec's colour map: orange (−1) → grey (0) → blue (+1), 31 shades, alpha 160.
ORANGE, GREY, BLUE = (245, 147, 34), (232, 234, 235), (8, 119, 189)
SHADES = 31
# The loss chart's canvas (300 × 110) and its padding around the plot.
CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B = 300, 110, 40, 6, 6, 16


def train(page, server, epochs: int, **config) -> int:
    """Paused run trained for ``epochs`` epochs, shown on the page."""
    if config:
        set_config(page, **config)
        page.wait_for_function("(c) => Object.entries(c).every(([k, v]) => "
                               "window.__mlplab.lastState.config[k] === v)", arg=config)
    server.cmd("step", epochs=epochs)
    return wait_synced(page, server, epochs)


def shade_index(b: int) -> int:
    """Which of the 31 shades a heatmap byte b (the value v = b/255·2 − 1) falls in."""
    v = b / 255 * 2 - 1
    return min(SHADES - 1, math.floor((v + 1) / 2 * SHADES))


def shade_of_byte(b: int) -> tuple[int, ...]:
    """The colour of shade k: grey mixed with orange or blue by |q|, q = −1 + 2k/30."""
    q = -1 + 2 * shade_index(b) / (SHADES - 1)
    end = BLUE if q >= 0 else ORANGE
    return tuple(round(g + (e - g) * abs(q)) for g, e in zip(GREY, end, strict=True))


def canvas_rgba(page, testid: str) -> np.ndarray:
    """A canvas's pixels as an (height, width, 4) array."""
    w, h, flat = page.evaluate("""(id) => {
        const c = document.querySelector(`[data-testid=${id}]`);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        return [c.width, c.height, Array.from(d)];
    }""", testid)
    return np.array(flat, dtype=np.int32).reshape(h, w, 4)


def test_heatmap_uses_the_31_shade_diverging_map(page, server):
    train(page, server, 20, learning_rate=0.1)
    values = np.frombuffer(base64.b64decode(server.state()["heat"]["values"]), np.uint8)
    pixels = np.array(heat_pixels(page))
    assert len(pixels) == len(values) == 100 * 100
    expected = np.array([shade_of_byte(int(b)) for b in values])
    # canvases store premultiplied alpha, so a channel may come back off by a little
    assert np.abs(pixels[:, :3] - expected).max() <= 3
    assert np.abs(pixels[:, 3] - 160).max() <= 1
    assert len(np.unique(values)) > SHADES        # enough distinct outputs to need quantising
    assert len({tuple(p) for p in pixels}) <= SHADES
    # nearby outputs in one bin share one colour
    bins = np.array([shade_index(int(b)) for b in values])
    for k in np.unique(bins):
        assert len({tuple(p) for p in pixels[bins == k]}) == 1


def test_heatmap_has_x_and_y_axis_labels(page):
    heat = page.get_by_test_id("heatmap").bounding_box()
    xs = page.locator(".axis-x span")
    ys = page.get_by_test_id("axis-y").locator("span")
    expect(xs).to_have_text(["-6", "0", "6"])
    expect(ys).to_have_text(["6", "0", "-6"])             # x₂ grows upwards
    top, mid, bottom = (ys.nth(i).bounding_box() for i in range(3))
    assert abs(top["y"] - heat["y"]) <= 3
    assert abs(bottom["y"] + bottom["height"] - (heat["y"] + heat["height"])) <= 3
    assert abs(mid["y"] + mid["height"] / 2 - (heat["y"] + heat["height"] / 2)) <= 6
    for box in (top, mid, bottom):                        # beside the map, not over it
        assert box["x"] >= heat["x"] + heat["width"] - 1


def test_hovering_a_neuron_enlarges_it_while_paused(page, server):
    train(page, server, 3)
    before = canvas_rgba(page, "heatmap")
    page.get_by_test_id("node-L0N1").hover()
    enlarged = canvas_rgba(page, "heatmap")
    thumb = page.get_by_test_id("node-L0N1").locator("canvas")
    thumb_px = np.array(page.evaluate("""(c) => Array.from(
        c.getContext('2d').getImageData(0, 0, c.width, c.height).data)""", thumb.element_handle()))
    assert enlarged.shape != before.shape or not np.array_equal(enlarged, before)
    assert np.array_equal(enlarged.reshape(-1), thumb_px)   # the neuron's own field
    page.mouse.move(5, 5)
    assert np.array_equal(canvas_rgba(page, "heatmap"), before)


def chart_geometry(rows, beta: float = 0.0, log: bool = False):
    """Where chart.js puts each epoch's smoothed (then log10) train and test losses:
    x and y in canvas pixels, from the debiased EMA ŝ_t = s_t / (1 − βᵗ)."""
    def series(key):
        s, out = 0.0, []
        for t, r in enumerate(rows, 1):
            s = beta * s + (1 - beta) * r[key]
            v = s / (1 - beta ** t) if beta else r[key]
            out.append(math.log10(max(v, 1e-12)) if log else v)
        return out

    tr, te = series("loss"), series("test_loss")
    lo, hi = min(tr + te), max(tr + te)
    e0, e1 = rows[0]["epoch"], rows[-1]["epoch"]
    x = [PAD_L + (r["epoch"] - e0) / (e1 - e0) * (CHART_W - PAD_L - PAD_R) for r in rows]
    y = lambda v: PAD_T + (hi - v) / (hi - lo) * (CHART_H - PAD_T - PAD_B)  # noqa: E731
    return x, [y(v) for v in tr], [y(v) for v in te]


def assert_curves_at(pixels, x, y_train, y_test, tol=1.5):
    """Each epoch's column holds a grey (train, #777) pixel near y_train and a black (test)
    one near y_test."""
    for i in range(1, len(x) - 1):
        col = pixels[:, int(x[i])]
        seen = col[:, 3] > 60
        grey = np.flatnonzero(seen & (col[:, 0] > 70) & (col[:, 0] < 170))
        black = np.flatnonzero(seen & (col[:, 0] < 40))
        assert grey.size and np.abs(grey + 0.5 - y_train[i]).min() <= tol, (i, y_train[i], grey)
        assert black.size and np.abs(black + 0.5 - y_test[i]).min() <= tol, (i, y_test[i], black)


def test_loss_curve_is_drawn_and_log_y_redraws_while_paused(page, server):
    n = train(page, server, 12, learning_rate=0.1)
    rows = server.get("/api/history")["scalars"]
    assert [r["epoch"] for r in rows] == list(range(1, n + 1))
    linear = canvas_rgba(page, "chart")
    plot = linear[:CHART_H - PAD_B - 2, PAD_L + 2:]        # inside the axes
    assert (plot[..., 3] > 0).sum() > 200                 # not blank
    assert_curves_at(linear, *chart_geometry(rows))
    page.get_by_test_id("log-y").check()
    logged = canvas_rgba(page, "chart")
    assert not np.array_equal(logged, linear)
    assert_curves_at(logged, *chart_geometry(rows, log=True))
    page.get_by_test_id("log-y").uncheck()
    assert np.array_equal(canvas_rgba(page, "chart"), linear)


def test_smoothing_draws_the_debiased_ema(page, server):
    train(page, server, 12, learning_rate=0.1)
    rows = server.get("/api/history")["scalars"]
    raw = canvas_rgba(page, "chart")
    page.get_by_test_id("smoothing").fill("0.8")          # fires 'input' as a drag does
    smoothed = canvas_rgba(page, "chart")
    assert not np.array_equal(smoothed, raw)
    x, y_train, y_test = chart_geometry(rows, beta=0.8)
    _, y_plain, _ = chart_geometry(rows)
    assert max(abs(a - b) for a, b in zip(y_train, y_plain, strict=True)) > 5   # visible
    assert_curves_at(smoothed, x, y_train, y_test)


def test_chart_readout_shows_the_servers_losses(page, server):
    n = train(page, server, 10, learning_rate=0.1)
    rows = {r["epoch"]: r for r in server.get("/api/history")["scalars"]}
    for epoch in (3, 7):
        x = PAD_L + (epoch - 1) / (n - 1) * (CHART_W - PAD_L - PAD_R)
        page.get_by_test_id("chart").hover(position={"x": x, "y": 50})
        text = page.get_by_test_id("chart-readout").text_content()
        m = re.fullmatch(r"epoch (\d+): train ([\d.]+), test ([\d.]+)", text)
        assert m, text
        assert int(m[1]) == epoch
        assert abs(float(m[2]) - rows[epoch]["loss"]) <= 5.1e-5
        assert abs(float(m[3]) - rows[epoch]["test_loss"]) <= 5.1e-5


def test_regression_metrics_show_rmse_and_r2_of_the_test_set(page, server):
    train(page, server, 10, problem="regression")
    last = server.get("/api/history")["scalars"][-1]
    run = server.running.session.run
    y = run.data.test_y                                   # R² and RMSE by hand, not metrics.py
    error = run.predict(run.test_x).reshape(-1) - y
    rmse = float(np.sqrt(np.mean(error ** 2)))
    r2 = 1 - float(np.sum(error ** 2)) / float(np.sum((y - y.mean()) ** 2))
    assert abs(last["rmse"] - rmse) < 1e-9 and abs(last["r2"] - r2) < 1e-9
    expect(page.get_by_test_id("rmse")).to_have_text(f"{rmse:.3f}")
    expect(page.get_by_test_id("r2")).to_have_text(f"{r2:.3f}")
    expect(page.get_by_test_id("train-accuracy")).to_have_count(0)


def test_show_test_data_draws_the_test_points(page, server):
    data = server.state()["data"]
    scale = 260 / 12                                      # canvas px per input unit
    centre = lambda p: ((p[0] + 6) * scale, (6 - p[1]) * scale)  # noqa: E731
    others = np.array([centre(p) for p in data["train"] + data["test"]])
    lonely = []                                           # test points with room around them
    for p in data["test"]:
        cx, cy = centre(p)
        d = np.hypot(others[:, 0] - cx, others[:, 1] - cy)
        if np.sort(d)[1] > 10 and 6 < cx < 254 and 6 < cy < 254:
            lonely.append((int(cx), int(cy)))
    assert len(lonely) >= 3

    def boxes():
        px = canvas_rgba(page, "points")
        return [px[cy - 4:cy + 5, cx - 4:cx + 5] for cx, cy in lonely]

    assert all((b[..., 3] == 0).all() for b in boxes())   # off by default: nothing there
    page.get_by_test_id("ctl-showTestData").check()
    page.wait_for_function("window.__mlplab.lastState.config.show_test_data === true")
    for b in boxes():                                     # a dot with a black ring
        ring = (b[..., 3] > 128) & (b[..., :3].max(axis=-1) < 80)
        assert ring.sum() >= 4
    page.get_by_test_id("ctl-showTestData").uncheck()
    page.wait_for_function("window.__mlplab.lastState.config.show_test_data === false")
    assert all((b[..., 3] == 0).all() for b in boxes())


def test_noise_slider_is_0_to_50_and_a_url_value_widens_it(page, server):
    noise = page.get_by_test_id("ctl-noise")
    expect(noise).to_have_attribute("type", "range")
    expect(noise).to_have_attribute("min", "0")
    expect(noise).to_have_attribute("max", "50")
    expect(noise).to_have_attribute("step", "5")
    expect(noise).to_have_value("0")
    page.goto("about:blank")                              # open a link, not a hash change
    page.goto(server.url + "/#noise=70")
    page.wait_for_function("window.__mlplab.frames > 0 && "
                           "window.__mlplab.lastState.config.noise === 70")
    expect(noise).to_have_attribute("max", "80")
    expect(noise).to_have_value("70")
    expect(page.get_by_test_id("value-noise")).to_have_text("70")
    set_config(page, noise=20)                            # back in range: TF's slider again
    page.wait_for_function("window.__mlplab.lastState.config.noise === 20")
    expect(noise).to_have_attribute("max", "50")
    expect(noise).to_have_value("20")
