"""``mlplab lab list|run|report`` on the command line (fake experiments, nothing trains)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mlplab.cli import app
from mlplab.lab import catalog
from tests.lab.fake_experiments import FAKES

runner = CliRunner()


@pytest.fixture(autouse=True)
def fakes(monkeypatch):
    monkeypatch.setattr(catalog, "all_experiments", lambda: dict(FAKES))


def test_list_shows_name_claim_term_concept_and_durations():
    result = runner.invoke(app, ["lab", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for text in ("coin-halves", "A fair coin lands heads half the time.", "硬币",
                 "Neuron and perceptron", "never-holds", "options: flips", "10 s", "60 s"):
        assert text in result.output, text


def test_run_all_prints_a_line_per_verdict_and_exits_0_even_with_a_fail(tmp_path):
    result = runner.invoke(app, ["lab", "run", "--all", "--out", str(tmp_path), "--seed",
                                 "2", "--option", "flips=60"])
    assert result.exit_code == 0, result.output
    assert "pass         coin-halves" in result.output
    assert "fail         never-holds" in result.output
    assert "1 pass, 1 fail, 0 inconclusive (2 experiments)" in result.output
    saved = json.loads((tmp_path / "coin-halves" / "result.json").read_text(encoding="utf-8"))
    assert saved["seed"] == 2 and saved["measured"]["flips"] == 60
    assert (tmp_path / "index.html").is_file()


def test_full_mode_and_names(tmp_path):
    result = runner.invoke(app, ["lab", "run", "never-holds", "--full", "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    saved = json.loads((tmp_path / "never-holds" / "result.json").read_text(encoding="utf-8"))
    assert saved["quick"] is False and saved["command"].endswith("--full --seed 0")


@pytest.mark.parametrize("args,message", [
    (["coin-halvs"], "did you mean 'coin-halves'?"),
    (["coin-halves", "--option", "flips"], "expected KEY=VALUE"),
    (["coin-halves", "--option", "flips=0"], "flips must be an integer >= 1, got 0"),
    (["coin-halves", "--option", "heads=1"], "unknown option 'heads'"),
    ([], "give experiment names or --all"),
    (["coin-halves", "--all"], "give experiment names or --all"),
])
def test_user_errors_are_one_red_line_and_exit_1(tmp_path, args, message):
    result = runner.invoke(app, ["lab", "run", *args, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.strip().count("\n") == 0
    assert not (tmp_path / "index.html").exists()


def test_report_rerenders_or_says_there_is_nothing(tmp_path):
    empty = runner.invoke(app, ["lab", "report", "--out", str(tmp_path)])
    assert empty.exit_code == 1 and "no result.json under" in empty.output
    runner.invoke(app, ["lab", "run", "coin-halves", "--out", str(tmp_path)])
    (tmp_path / "index.html").unlink()
    again = runner.invoke(app, ["lab", "report", "--out", str(tmp_path)])
    assert again.exit_code == 0 and "(1 results)" in again.output
    assert (tmp_path / "index.html").is_file()
