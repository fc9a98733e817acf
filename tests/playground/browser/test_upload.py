"""CSV upload from the page: a good file replaces the data, a bad one shows the message."""

from __future__ import annotations

from playwright.sync_api import expect


def test_csv_upload_replaces_the_data_and_a_bad_csv_says_why(page, server, tmp_path):
    rows = ["x1,x2,label"] + [f"{i / 10 - 3:.2f},{(i % 7) - 3:.2f},{i % 2}" for i in range(60)]
    good = tmp_path / "points.csv"
    good.write_text("\n".join(rows) + "\n")
    page.get_by_test_id("csv-file").set_input_files(str(good))
    expect(page.get_by_test_id("upload-status")).to_contain_text("Loaded 60 points")
    page.wait_for_function("window.__mlplab.lastState.data_version > 0")
    data = server.state()["data"]
    assert len(data["train"]) + len(data["test"]) == 60
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n3,oops,1\n")
    page.get_by_test_id("csv-file").set_input_files(str(bad))
    status = page.get_by_test_id("upload-status")
    expect(status).to_have_class("status error")
    text = status.text_content()
    assert text and "\n" not in text and len(text) < 300
    data = server.state()["data"]
    assert len(data["train"]) + len(data["test"]) == 60      # the bad file changed nothing
