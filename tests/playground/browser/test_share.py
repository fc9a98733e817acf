"""Save & load from the page (downloads, then uploads back), the classroom link builder
and the ``tutorial`` URL key."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from .helpers import wait_synced


def download(page, test_id: str, path):
    with page.expect_download() as info:
        page.get_by_test_id(test_id).click()
    info.value.save_as(path)
    return path


def test_model_download_then_upload_restores_weights_epoch_and_config(page, server, tmp_path):
    server.fresh(network_shape=[3], learning_rate=0.03, x_squared=True)
    server.cmd("step", epochs=5)
    wait_synced(page, server, 5)
    before = server.state()
    model = download(page, "download-model", tmp_path / "model.safetensors")
    weights = json.loads(download(page, "download-weights", tmp_path / "w.json").read_text())
    config = json.loads(download(page, "download-config", tmp_path / "c.json").read_text())
    assert config == before["config"] and weights["config"] == before["config"]
    assert [layer["weight"] for layer in weights["layers"]] == before["network"]["weights"]
    assert [layer["bias"] for layer in weights["layers"]] == before["network"]["biases"]

    server.cmd("set", config={"network_shape": [5, 2], "learning_rate": 0.3})
    server.cmd("step", epochs=2)
    wait_synced(page, server, 2)
    page.get_by_test_id("model-file").set_input_files(str(model))
    expect(page.get_by_test_id("load-status")).to_contain_text("Loaded the model")
    wait_synced(page, server, 5)
    after = server.state()
    assert after["config"] == before["config"]
    assert after["network"]["weights"] == before["network"]["weights"]     # bit for bit
    assert after["network"]["biases"] == before["network"]["biases"]
    page.get_by_test_id("step").click()                                     # trains on
    wait_synced(page, server, 6)
    assert server.state()["network"]["weights"] != before["network"]["weights"]

    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"this is not a model")
    page.get_by_test_id("model-file").set_input_files(str(bad))
    status = page.get_by_test_id("load-status")
    expect(status).to_have_class("status error")
    text = status.text_content()
    assert text.startswith("model file: ") and "\n" not in text and len(text) < 400
    assert server.state()["epoch"] == 6                                     # nothing changed


def test_config_json_loads_back_and_a_bad_one_says_why(page, server, tmp_path):
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"dataset": "xor", "learning_rate": 0.3,
                                  "network_shape": [2]}))
    page.get_by_test_id("config-file").set_input_files(str(config))
    expect(page.get_by_test_id("load-status")).to_contain_text("Loaded the settings")
    state = server.state()["config"]
    assert (state["dataset"], state["learning_rate"], state["network_shape"]) == \
        ("xor", 0.3, [2])
    assert state["activation"] == server.get("/api/schema")["fields"]["activation"]["default"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"learning_rate": -1}))
    page.get_by_test_id("config-file").set_input_files(str(bad))
    status = page.get_by_test_id("load-status")
    expect(status).to_have_class("status error")
    assert "learning_rate" in status.text_content()
    assert server.state()["config"]["learning_rate"] == 0.3


def test_classroom_link_hides_controls_and_text_and_opens_the_tutorial(page, server):
    server.cmd("set", config={"learning_rate": 0.3})
    page.wait_for_function("window.__mlplab.lastState.config.learning_rate === 0.3")
    page.get_by_test_id("hide-learningRate").check()
    page.get_by_test_id("hide-text").check()
    page.get_by_test_id("tutorial-choice").select_option("xor-hidden-layer")
    page.get_by_test_id("make-classroom-link").click()
    expect(page.get_by_test_id("classroom-url")).to_have_value(
        re.compile("tutorial=xor-hidden-layer"))
    link = page.get_by_test_id("classroom-url").input_value()
    assert "learningRate=0.3" in link and "learningRate_hide=true" in link
    assert "hideText=true" in link and link.startswith(server.url)

    server.fresh()
    page.goto("about:blank")        # open the link as a student would, not as a hash change
    page.goto(link)
    page.wait_for_function("window.__mlplab && window.__mlplab.frames > 0")
    page.wait_for_function("window.__mlplab.lastState.config.learning_rate === 0.3")
    expect(page.locator(".brand")).to_be_hidden()
    expect(page.get_by_test_id("article")).to_be_hidden()
    expect(page.locator('[data-ctl="learningRate"]')).to_be_hidden()
    expect(page.get_by_test_id("play")).to_be_visible()
    tutorial = page.get_by_test_id("tutorial")
    expect(tutorial).to_contain_text("Why XOR needs a hidden layer")
    assert "Why XOR needs a hidden layer" in page.title()
    page.get_by_test_id("tutorial-step-1").click()
    page.wait_for_function("window.__mlplab.lastState.config.dataset === 'xor' && "
                           "window.__mlplab.lastState.config.network_shape.length === 0")
    page.wait_for_function("location.hash.includes('tutorial=xor-hidden-layer')")  # kept


def test_unknown_tutorial_says_which_exist(page, server):
    page.goto("about:blank")
    page.goto(server.url + "/#tutorial=nope")
    page.wait_for_function("window.__mlplab && window.__mlplab.frames > 0")
    error = page.get_by_test_id("tutorial-error")
    expect(error).to_contain_text('Unknown tutorial "nope"')
    expect(error).to_contain_text("learning-rate")
    expect(page.get_by_test_id("article")).to_be_visible()
