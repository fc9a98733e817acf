"""Per-layer dropout from the page with the train/eval badge; the legend for each problem."""

from __future__ import annotations

from urllib.parse import unquote

from playwright.sync_api import expect

from mlplab.playground.url_state import from_url_hash

from .helpers import set_config, wait_synced


def test_dropout_on_one_layer_reaches_the_model_and_the_badge(page, server):
    badge = page.get_by_test_id("mode-badge")
    expect(badge).to_have_text("eval mode")
    expect(page.get_by_test_id("mode-note")).to_contain_text("train = eval")
    box = page.get_by_test_id("layer-1-dropout")
    expect(box).to_have_value("0")
    box.fill("0.5")
    box.press("Tab")                                      # a number box commits on change
    page.wait_for_function("window.__mlplab.lastState.config.dropout.length === 2")
    state = server.state()
    assert state["config"]["dropout"] == [0.0, 0.5]
    assert state["train_only"] == ["L1 dropout p=0.5"] and state["mode"] == "eval"
    expect(page.get_by_test_id("mode-note")).to_contain_text("L1 dropout p=0.5")
    expect(badge).to_have_class("mode-badge differs")
    expect(page.get_by_test_id("layer-0-dropout")).to_have_value("0")
    page.wait_for_function("location.hash.includes('dropout=')")
    assert from_url_hash(unquote(page.url.split("#", 1)[1]))[0].dropout == [0.0, 0.5]
    server.cmd("step", epochs=3)
    wait_synced(page, server, 3)
    last = server.state()["scalars"][-1]                  # eval-mode loss, shown as such
    expect(page.get_by_test_id("train-loss")).to_have_text(f"{last['loss']:.3f}")
    box = page.get_by_test_id("layer-1-dropout")
    box.fill("0")
    box.press("Tab")
    page.wait_for_function("window.__mlplab.lastState.config.dropout.length === 0")
    expect(badge).not_to_have_class("mode-badge differs")


def test_legend_shows_the_value_scale_for_regression_and_classes_otherwise(page, server):
    legend = page.get_by_test_id("legend")
    expect(legend).to_have_attribute("data-kind", "binary")
    expect(page.get_by_test_id("legend-class-0")).to_have_text("class 0")
    expect(page.get_by_test_id("legend-class-1")).to_have_text("class 1")
    expect(page.get_by_test_id("legend-max")).to_have_text("1")      # p(class 1)
    set_config(page, problem="regression")
    expect(legend).to_have_attribute("data-kind", "regression")
    expect(page.get_by_test_id("legend-title")).to_contain_text("predicted target")
    expect(page.get_by_test_id("legend-min")).to_have_text("−1")
    expect(page.get_by_test_id("legend-mid")).to_have_text("0")
    expect(page.get_by_test_id("legend-max")).to_have_text("1")
    expect(page.get_by_test_id("legend-classes")).to_be_hidden()
    assert legend.locator("[data-testid^=legend-class-]").count() == 0
    data = server.state()["data"]
    targets = [row[2] for row in data["train"] + data["test"]]
    expect(page.get_by_test_id("legend-range")).to_contain_text("targets in the data")
    text = page.get_by_test_id("legend-range").text_content().split(":")[1]
    low, high = (float(v.replace("−", "-")) for v in text.split(" to "))
    assert abs(low - min(targets)) <= 0.005 and abs(high - max(targets)) <= 0.005
    set_config(page, problem="classification", dataset="blobs", classes=3)
    expect(legend).to_have_attribute("data-kind", "classes")
    expect(page.get_by_test_id("legend-class-2")).to_have_text("class 2")
    expect(page.locator("#legend-bar")).to_be_hidden()
