"""Keyboard access to the network diagram, accessible names, the gradient histograms and
the marks left by a divergence."""

from __future__ import annotations

from playwright.sync_api import expect

from .helpers import wait_synced

# The accessible name from a label or aria-label (or a button's own text), not a title.
NAMELESS = """() => [...document.querySelectorAll('select, input, button')].filter((el) => {
    if (el.closest('[hidden]') || el.type === 'hidden') return false;
    const by = el.getAttribute('aria-labelledby');
    const names = [el.getAttribute('aria-label'),
        by && by.split(' ').map((id) => document.getElementById(id)?.textContent).join(' '),
        ...[...(el.labels || [])].map((l) => l.textContent),
        el.tagName === 'BUTTON' ? el.textContent : ''];
    return !names.some((n) => n && n.trim());
}).map((el) => el.outerHTML.slice(0, 120))"""


def test_every_control_has_an_accessible_name(page):
    assert page.evaluate(NAMELESS) == []


def test_space_on_a_focused_feature_toggles_it(page, server):
    toggle = page.get_by_test_id("node-x")
    expect(toggle).to_have_attribute("role", "switch")
    expect(toggle).to_have_attribute("aria-checked", "true")
    toggle.focus()
    page.keyboard.press("Shift+Tab")                      # it is a real tab stop ...
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "node-x"
    page.keyboard.press("Space")                          # ... and Space toggles it
    page.wait_for_function("window.__mlplab.lastState.config.x === false")
    assert server.state()["config"]["x"] is False
    expect(page.get_by_test_id("node-x")).to_have_attribute("aria-checked", "false")
    assert page.evaluate("document.activeElement.dataset.testid") == "node-x"
    page.keyboard.press("Enter")
    page.wait_for_function("window.__mlplab.lastState.config.x === true")


def test_enter_on_a_link_or_bias_opens_the_editor_and_on_a_neuron_the_inspector(page, server):
    link = page.get_by_test_id("link-L0-0-0")
    expect(link).to_have_attribute("tabindex", "0")
    assert "Weight" in link.get_attribute("aria-label")
    link.focus()
    page.keyboard.press("Enter")
    box = page.get_by_test_id("hovercard-input")
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    box.fill("1.25")
    box.press("Enter")
    page.wait_for_function("window.__mlplab.lastState.network.weights[0][0][0] === 1.25")
    bias = page.get_by_test_id("bias-L0-1")
    bias.focus()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("hovercard-input")).to_be_visible()
    page.keyboard.press("Escape")
    neuron = page.get_by_test_id("node-L0N1")
    neuron.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("inspector-body")).to_contain_text("L0N1")


def test_histogram_panel_has_a_gradient_row_per_weight_layer(page, server):
    expect(page.get_by_test_id("hist-row-grad")).to_be_empty()      # no step yet
    server.cmd("step", epochs=1)
    wait_synced(page, server, 1)
    row = page.get_by_test_id("hist-row-grad")
    expect(row.locator("figure")).to_have_count(3)                  # L0, L1 and the output
    expect(page.get_by_test_id("hist-grad-L0")).to_contain_text("∂J/∂W L0")
    expect(page.get_by_test_id("hist-grad-out")).to_contain_text("mean|g|")
    expect(page.get_by_test_id("hist-row-act").locator("figure")).to_have_count(2)
    drawn = page.evaluate("""() => {
        const c = document.querySelector('.hist-grad canvas');
        return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v > 0);
    }""")
    assert drawn


def test_a_divergence_marks_neurons_and_links_until_reset(page, server):
    server.cmd("set", config={"activation": "linear", "loss": "hinge", "learning_rate": 100})
    server.cmd("reset")
    server.cmd("step", epochs=5)
    wait_synced(page, server)
    marked = server.state()["diverged"]
    assert marked["neurons"] and marked["links"]
    nodes = page.locator("#network .node.diverged")
    expect(nodes).to_have_count(len(marked["neurons"]))
    expect(page.locator("#network path.link.diverged")).to_have_count(len(marked["links"]))
    first = marked["neurons"][0]
    expect(page.get_by_test_id(f"node-{first}")).to_have_class("node diverged")
    assert page.locator("#network .node.diverged").first.evaluate(
        "(el) => getComputedStyle(el).outlineColor") == "rgb(214, 39, 40)"
    server.cmd("reset")
    expect(nodes).to_have_count(0)
    expect(page.locator("#network path.link.diverged")).to_have_count(0)
