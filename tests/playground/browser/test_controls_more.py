"""More controls against the real server: point editing with modifiers and class keys,
feature toggles, per-layer activations, the free learning-rate field, full batch, link
colour/width/flow, the multi-class heatmap and the legend's "(?)"."""

from __future__ import annotations

import base64
import re
import time

from playwright.sync_api import expect

from .helpers import heat_pixels, set_config, wait_synced

# The colours of colors.js: grey at 0, TF's orange/blue, then the hues of classes 2, 3, ….
GREY = (0xE8, 0xEA, 0xEB)
HUES = [(0xF5, 0x93, 0x22), (0x08, 0x77, 0xBD), (0x2C, 0xA0, 0x2C), (0x94, 0x67, 0xBD)]


def train_points(server):
    return [tuple(p) for p in server.state()["data"]["train"]]


def wait_for(condition, what, timeout=5.0):
    """Poll the server until ``condition()`` is truthy (commands apply between steps)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def click_at(page, x, y, modifiers=()):
    """Click the points overlay at data coordinates (x, y) in [−6, 6]²."""
    box = page.get_by_test_id("points").bounding_box()
    pos = {"x": (x + 6) / 12 * box["width"], "y": (6 - y) / 12 * box["height"]}
    page.get_by_test_id("points").click(position=pos, modifiers=list(modifiers))


def added(server, before, x, y):
    """The label of a training point new since ``before`` near (x, y), else None."""
    new = [p for p in train_points(server) if p not in before]
    near = [p for p in new if abs(p[0] - x) < 0.1 and abs(p[1] - y) < 0.1]
    return near[0][2] if near else None


def wait_added(server, before, x, y):
    """The label of the point a click at (x, y) added, once the server has it."""
    wait_for(lambda: added(server, before, x, y) is not None, f"a point at ({x}, {y})")
    return added(server, before, x, y)


def test_click_shift_click_and_alt_ctrl_click_edit_the_servers_points(page, server):
    before = train_points(server)
    labels = {p[2] for p in before}
    # Blue (positive) for a plain click, orange (the other label) with shift.
    positive = max(labels)
    negative = min(labels)
    click_at(page, 4, 4)
    assert wait_added(server, before, 4, 4) == positive
    click_at(page, -4, -4, ["Shift"])
    assert wait_added(server, before, -4, -4) == negative
    assert len(train_points(server)) == len(before) + 2
    click_at(page, -4, -4, ["Control"])                # removes the nearest: the new one
    wait_for(lambda: len(train_points(server)) == len(before) + 1, "the ctrl-click")
    assert added(server, before, -4, -4) is None and added(server, before, 4, 4) == positive
    click_at(page, 4, 4, ["Alt"])
    wait_for(lambda: len(train_points(server)) == len(before), "the alt-click")
    assert sorted(train_points(server)) == sorted(before)


def test_number_keys_choose_the_class_of_a_click_with_several_classes(page, server):
    set_config(page, dataset="blobs", classes=4)
    page.wait_for_function("window.__mlplab.lastState.heat.classes === 4")
    for key, (x, y) in (("3", (1.0, 5.0)), ("4", (2.0, 5.0)), ("1", (3.0, 5.0))):
        page.get_by_test_id("points").focus()
        page.keyboard.press(key)
        before = train_points(server)
        click_at(page, x, y)
        assert wait_added(server, before, x, y) == int(key) - 1, key


def test_clicking_a_feature_toggles_it_on_the_server_and_in_the_diagram(page, server):
    node = page.get_by_test_id("node-xSquared")
    expect(node).to_have_class("node off")
    expect(node).to_have_attribute("aria-checked", "false")
    assert len(server.state()["network"]["weights"][0][0]) == 2
    node.click()
    wait_for(lambda: server.state()["config"]["x_squared"], "X₁² on")
    state = server.state()
    assert len(state["network"]["inputs"]) == 3
    assert all(len(row) == 3 for row in state["network"]["weights"][0])   # input width 3
    expect(page.get_by_test_id("node-xSquared")).to_have_class("node")
    expect(page.get_by_test_id("node-xSquared")).to_have_attribute("aria-checked", "true")
    page.get_by_test_id("node-x").click()                  # and one that was on goes off
    wait_for(lambda: not server.state()["config"]["x"], "X₁ off")
    assert all(len(row) == 2 for row in server.state()["network"]["weights"][0])
    expect(page.get_by_test_id("node-x")).to_have_class("node off")


def test_a_layers_activation_dropdown_changes_only_that_layer(page, server):
    box = page.get_by_test_id("layer-1-layerActivations")
    expect(box).to_have_value("tanh")
    box.select_option("relu")
    wait_for(lambda: server.state()["config"]["layer_activations"] == ["tanh", "relu"],
             "the per-layer list")
    layers = server.state()["network"]["layers"]
    assert [layer["activation"] for layer in layers[:2]] == ["tanh", "relu"]
    assert server.state()["config"]["activation"] == "tanh"
    # The model itself, as the snippet prints it: one Tanh, then one ReLU.
    model = [line for line in server.get("/api/python").splitlines()
             if line.startswith("# ") and ("Tanh" in line or "ReLU" in line)]
    assert len(model) == 2 and "Tanh" in model[0] and "ReLU" in model[1], model
    expect(page.get_by_test_id("layer-0-layerActivations")).to_have_value("tanh")
    expect(page.get_by_test_id("layer-1-layerActivations")).to_have_value("relu")


def test_the_free_learning_rate_field_sets_any_rate_live_and_refuses_bad_ones(page, server):
    server.cmd("step", epochs=3)
    wait_synced(page, server, 3)
    free = page.get_by_test_id("ctl-learningRate-free")
    free.fill("0.05")
    free.press("Tab")                                     # a number box commits on change
    wait_for(lambda: server.state()["config"]["learning_rate"] == 0.05, "lr 0.05")
    state = server.state()
    assert state["epoch"] == 3                            # live: no reset
    assert page.get_by_test_id("message").is_hidden()
    message = page.get_by_test_id("message")
    for bad, words in (("-1", "greater than 0"), ("abc", "type a number")):
        # A number box holds "" for text a user typed: set it as typing would.
        free.evaluate("(el, v) => { el.focus(); el.value = v; "
                      "el.dispatchEvent(new Event('change')); }", bad)
        expect(message).to_be_visible()
        expect(message).to_contain_text(words)
        expect(message).to_contain_text(re.compile(r"learning.rate", re.IGNORECASE))
        assert "\n" not in message.text_content().strip()
        expect(free).to_have_value("0.05")                # the box shows the rate in use
        time.sleep(0.3)
        state = server.state()
        assert state["config"]["learning_rate"] == 0.05 and state["epoch"] == 3, bad


def test_full_batch_is_batch_size_zero_one_update_per_epoch(page, server):
    page.get_by_test_id("ctl-fullBatch").check()
    wait_for(lambda: server.state()["config"]["batch_size"] == 0, "batch size 0")
    expect(page.get_by_test_id("ctl-batchSize")).to_be_disabled()
    wait_synced(page, server, 0)
    for n in (1, 2):
        page.get_by_test_id("step-batch").click()
        expect(page.get_by_test_id("iteration")).to_have_text(str(n))
        state = server.state()
        assert (state["epoch"], state["iteration"]) == (n, n)
    page.get_by_test_id("step").click()                   # a whole epoch is one update too
    expect(page.get_by_test_id("iteration")).to_have_text("3")
    assert server.state()["epoch"] == 3


def edit_link(page, testid, value):
    link = page.get_by_test_id(testid)
    link.dispatch_event("click")                          # links overlap: aim at this one
    box = page.get_by_test_id("hovercard-input")
    box.fill(str(value))
    box.press("Enter")


def rgb(text):
    return tuple(int(v) for v in text[text.index("(") + 1:].split(",")[:3])


def test_links_are_coloured_by_sign_sized_by_size_and_flow_while_playing(page, server):
    edit_link(page, "link-L1-0-0", 0.5)
    page.wait_for_function("window.__mlplab.lastState.network.weights[1][0][0] === 0.5")
    edit_link(page, "link-L1-0-1", -2)
    page.wait_for_function("window.__mlplab.lastState.network.weights[1][0][1] === -2")
    small, large = page.get_by_test_id("link-L1-0-0"), page.get_by_test_id("link-L1-0-1")
    blue, orange = rgb(small.get_attribute("stroke")), rgb(large.get_attribute("stroke"))
    assert blue[2] > blue[0] + 40, f"w > 0 should be blue, got {blue}"
    assert orange[0] > orange[2] + 40, f"w < 0 should be orange, got {orange}"
    w_small, w_large = (float(x.get_attribute("stroke-width")) for x in (small, large))
    assert 1 <= w_small < w_large <= 10
    edit_link(page, "link-L1-0-1", 2)                     # same |w|, other sign: same width
    page.wait_for_function("window.__mlplab.lastState.network.weights[1][0][1] === 2")
    assert float(large.get_attribute("stroke-width")) == w_large
    assert rgb(large.get_attribute("stroke"))[2] > rgb(large.get_attribute("stroke"))[0]
    offset = "(el) => getComputedStyle(el).strokeDashoffset"
    still = small.evaluate(offset)
    time.sleep(0.3)
    assert small.evaluate(offset) == still                # paused: no flow
    page.get_by_test_id("play").click()
    page.wait_for_function(f"(s) => ({offset})(document.querySelector("
                           "'[data-testid=link-L1-0-0]')) !== s", arg=still)
    seen = {small.evaluate(offset)}
    for _ in range(5):
        time.sleep(0.15)
        seen.add(small.evaluate(offset))
    page.get_by_test_id("play").click()
    assert len(seen) > 2, f"the dashes should keep moving while playing: {seen}"


def on_segment(pixel, hue, t, tol=4):
    """Whether ``pixel`` is grey mixed with ``hue`` by the fraction t (paler = less sure)."""
    return all(abs(p - (g + (h - g) * t)) <= tol for p, g, h in zip(pixel, GREY, hue,
                                                                    strict=True))


def test_multi_class_heatmap_hue_per_class_lightness_by_confidence(page, server):
    set_config(page, dataset="blobs", classes=3, optimizer="adam", learning_rate=0.03)
    page.wait_for_function("window.__mlplab.lastState.heat.classes === 3")
    server.cmd("step", epochs=15)
    wait_synced(page, server, 15)
    heat = server.state()["heat"]
    argmax, conf = (base64.b64decode(heat[k]) for k in ("argmax", "values"))
    pixels = heat_pixels(page)
    k = 3
    for i in range(0, len(pixels), 37):                    # a spread of pixels
        t = min(1.0, max(0.0, (conf[i] / 255 - 1 / k) / (1 - 1 / k)))
        assert on_segment(pixels[i][:3], HUES[argmax[i]], t), (i, pixels[i], argmax[i], t)
    assert len(set(argmax)) == 3                          # every class wins somewhere
    assert len({tuple(p) for p in pixels}) > 10            # lightness varies
    page.get_by_test_id("ctl-discretize").check()
    page.wait_for_function("window.__mlplab.lastState.config.discretize === true")
    page.wait_for_function("document.querySelector('[data-testid=heatmap]')"
                           ".classList.contains('pixelated')")
    pixels = heat_pixels(page)
    for i in range(0, len(pixels), 37):
        assert on_segment(pixels[i][:3], HUES[argmax[i]], 1.0), (i, pixels[i], argmax[i])
    assert len({tuple(p) for p in pixels}) == 3


def test_the_legends_question_mark_opens_and_closes_the_explanation(page):
    help_, text = page.get_by_test_id("legend-help"), page.get_by_test_id("legend-text")
    expect(text).to_be_hidden()
    expect(help_).to_have_attribute("aria-expanded", "false")
    help_.click()
    expect(text).to_be_visible()
    expect(text).to_contain_text("Orange is negative, blue is positive")
    expect(help_).to_have_attribute("aria-expanded", "true")
    help_.click()
    expect(text).to_be_hidden()
    expect(help_).to_have_attribute("aria-expanded", "false")
