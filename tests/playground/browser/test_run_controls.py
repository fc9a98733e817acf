"""Run controls, numbers and drawing of the playground page, against the real server."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from mlplab.playground.url_state import from_url_hash

from .helpers import epoch, heat_pixels, set_config, wait_epoch, wait_synced

BLUE, ORANGE = (0x08, 0x77, 0xBD), (0xF5, 0x93, 0x22)


def close(rgb, target, tol=3):
    return all(abs(a - b) <= tol for a, b in zip(rgb, target, strict=False))


def test_step_play_pause_move_the_epoch_counter(page, server):
    expect(page.get_by_test_id("epoch")).to_have_text("000,000")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("epoch")).to_have_text("000,001")
    assert server.state()["epoch"] == 1
    page.get_by_test_id("play").click()
    wait_epoch(page, "e > 30")
    page.get_by_test_id("play").click()                  # now it reads "pause"
    stopped = wait_synced(page, server)
    time.sleep(0.5)                                       # paused: nothing may move
    assert server.state()["epoch"] == stopped == epoch(page)
    page.get_by_test_id("step").click()
    wait_epoch(page, f"e === {stopped + 1}")
    iterations = server.state()["iteration"]
    page.get_by_test_id("step-batch").click()
    expect(page.get_by_test_id("iteration")).to_have_text(str(iterations + 1))


def test_displayed_loss_and_accuracy_equal_the_servers(page, server):
    server.cmd("step", epochs=5)
    wait_synced(page, server, 5)
    last = server.state()["scalars"][-1]
    expect(page.get_by_test_id("train-loss")).to_have_text(f"{last['loss']:.3f}")
    expect(page.get_by_test_id("test-loss")).to_have_text(f"{last['test_loss']:.3f}")
    expect(page.get_by_test_id("test-accuracy")).to_have_text(f"{last['test_accuracy']:.3f}")
    assert page.get_by_test_id("confusion").locator("td").count() == 4


def test_heatmap_shows_the_circle_and_discretize_gives_two_colours(page, server):
    set_config(page, optimizer="adam", learning_rate=0.03)
    page.wait_for_function("window.__mlplab.lastState.config.optimizer === 'adam'")
    server.cmd("step", epochs=20)
    wait_synced(page, server, 20)
    pixels = heat_pixels(page)
    assert len({tuple(p) for p in pixels}) > 10
    centre, corner = pixels[50 * 100 + 50], pixels[0]
    assert centre[2] > centre[0] + 60, f"centre should be blue, got {centre}"
    assert corner[0] > corner[2] + 60, f"corner should be orange, got {corner}"
    page.get_by_test_id("ctl-discretize").check()
    page.wait_for_function("window.__mlplab.lastState.config.discretize === true")
    page.wait_for_function("document.querySelector('[data-testid=heatmap]')"
                           ".classList.contains('pixelated')")
    colours = {tuple(p) for p in heat_pixels(page)}
    assert len(colours) == 2
    assert any(close(c, BLUE) for c in colours) and any(close(c, ORANGE) for c in colours)


def test_adding_a_layer_and_a_neuron_rebuilds_the_thumbnails(page, server):
    thumbs = page.locator("#network canvas.thumb")
    keys = {f["url_key"] for f in server.get("/api/schema")["fields"].values()}
    features = len(keys & {"x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"})
    expect(thumbs).to_have_count(features + 4 + 2 + 1)
    page.get_by_test_id("add-layer").click()
    expect(thumbs).to_have_count(features + 4 + 2 + 2 + 1)
    page.get_by_test_id("layer-0-plus").click()
    expect(thumbs).to_have_count(features + 5 + 2 + 2 + 1)
    assert server.state()["config"]["network_shape"] == [5, 2, 2]
    state = page.evaluate("window.__mlplab.lastState")
    assert "L2N1" in state["thumbs"]


def test_hover_card_shows_and_edits_a_weight(page, server):
    link = page.get_by_test_id("link-L1-0-2")
    link.dispatch_event("mouseenter")       # links overlap: aim at this one exactly
    weight = server.state()["network"]["weights"][1][0][2]
    shown = page.get_by_test_id("hovercard-value")
    expect(shown).not_to_have_text("–")
    assert abs(float(shown.text_content()) - weight) <= 5e-3 * max(1.0, abs(weight))
    link.dispatch_event("click")
    box = page.get_by_test_id("hovercard-input")
    box.fill("-1.25")
    box.press("Enter")
    page.wait_for_function("window.__mlplab.lastState.network.weights[1][0][2] === -1.25")
    assert server.state()["network"]["weights"][1][0][2] == -1.25
    page.get_by_test_id("bias-L2-0").dispatch_event("click")  # the output's bias too
    page.get_by_test_id("hovercard-input").fill("0.5")
    page.get_by_test_id("hovercard-input").press("Escape")
    assert server.state()["network"]["biases"][2][0] != 0.5


def test_url_hash_round_trips_and_hides_controls(page, server):
    page.get_by_test_id("ctl-learningRate").select_option("0.1")
    page.get_by_test_id("ctl-activation").select_option("relu")
    page.wait_for_function("location.hash.includes('learningRate=0.1') && "
                           "location.hash.includes('activation=relu')")
    url = page.url
    server.fresh()                                        # the server forgets them
    assert server.state()["config"]["activation"] == "tanh"
    page.goto("about:blank")                              # a real reload, not a hash change
    page.goto(url + "&noise_hide=true")
    page.wait_for_function("window.__mlplab.frames > 0 && "
                           "window.__mlplab.lastState.config.activation === 'relu'")
    expect(page.get_by_test_id("ctl-learningRate")).to_have_value("0.1")
    expect(page.get_by_test_id("ctl-activation")).to_have_value("relu")
    assert server.state()["config"]["learning_rate"] == 0.1
    expect(page.get_by_test_id("ctl-noise")).to_be_hidden()
    expect(page.get_by_test_id("ctl-percTrainData")).to_be_visible()


def test_copy_buttons_give_the_servers_python_and_flags(page, server):
    page.get_by_test_id("copy-python").click()
    expect(page.get_by_test_id("share-text")).to_have_value(server.get("/api/python"))
    page.get_by_test_id("copy-flags").click()
    expect(page.get_by_test_id("share-text")).to_have_value(server.get("/api/flags")["flags"])


def test_clicks_add_and_remove_points(page, server):
    before = len(server.state()["data"]["train"])
    page.get_by_test_id("points").click(position={"x": 130, "y": 130})
    wait_count(server, before + 1)
    page.get_by_test_id("points").click(position={"x": 130, "y": 130}, modifiers=["Alt"])
    wait_count(server, before)


def wait_count(server, n, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if len(server.state()["data"]["train"]) == n:
            return
        time.sleep(0.05)
    raise AssertionError(f"expected {n} training points, have "
                         f"{len(server.state()['data']['train'])}")


def test_a_diverging_run_pauses_with_the_message(page, server):
    set_config(page, problem="regression", learning_rate=10.0)
    page.wait_for_function("window.__mlplab.lastState.config.problem === 'regression'")
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("message")).to_contain_text("diverged", timeout=15000)
    assert server.state()["running"] is False
    expect(page.get_by_test_id("play")).to_have_attribute("aria-label", "Play")


def test_inspector_and_representation_show_the_servers_numbers(page, server):
    page.get_by_test_id("node-L0N1").dispatch_event("click")
    page.evaluate("""() => {                       // the mouse over the point (3, -2)
        const c = document.querySelector('[data-testid=points]'), r = c.getBoundingClientRect();
        c.dispatchEvent(new MouseEvent('mousemove', {bubbles: true,
            clientX: r.left + (3 + 6) / 12 * r.width, clientY: r.top + (6 - -2) / 12 * r.height}));
    }""")
    body = page.get_by_test_id("inspector-body")
    expect(body).to_contain_text("tanh(z)")
    page.wait_for_function("""() => {              // the reply for (3, -2), not the click's
        const head = document.querySelector('[data-testid=inspector-body]').textContent;
        const m = head.match(/\\(x, y\\) = \\(([-\\d.]+), ([-\\d.]+)\\)/);
        return m && Math.abs(Number(m[1]) - 3) < 0.1 && Math.abs(Number(m[2]) + 2) < 0.1;
    }""")
    lines = body.text_content().splitlines()
    x, y = (float(v) for v in lines[0].rsplit("(", 1)[1].rstrip(")").split(","))
    assert abs(x - 3) < 0.1 and abs(y + 2) < 0.1         # pixels are whole numbers
    layer = server.get(f"/api/inspect?x={x}&y={y}")["layers"][0]
    z = float(lines[3].split("=")[1])
    a = float(lines[4].rsplit("=", 1)[1])
    assert lines[4].startswith("a = tanh(z)")
    assert abs(z - layer["z"][1]) <= 5e-3 * max(1.0, abs(z))
    assert abs(a - layer["a"][1]) <= 5e-3
    page.get_by_test_id("rep-layer").select_option("1")
    page.get_by_test_id("rep-draw").click()
    expect(page.get_by_test_id("rep-status")).to_have_text("26 grid lines, 250 points")


def test_a_tensorflow_playground_link_opens(page, server):
    tf_link = ("#activation=relu&batchSize=10&dataset=spiral&regDataset=reg-plane"
               "&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.12345"
               "&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
               "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=true&cosY=false"
               "&sinY=false&collectStats=false&problem=classification&initZero=false"
               "&hideText=false&regularization=L2")
    page.goto("about:blank")
    page.goto(server.url + "/" + tf_link)
    page.wait_for_function("window.__mlplab.frames > 0 && "
                           "window.__mlplab.lastState.config.dataset === 'spiral'")
    config = server.state()["config"]
    assert (config["activation"], config["sin_x"], config["regularization"]) == \
        ("relu", True, "l2")
    assert config["reg_dataset"] == "plane"
    # the server reads the link the same way
    assert config["seed"] == from_url_hash(tf_link)[0].seed
