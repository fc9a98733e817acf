"""``mlplab tune`` on the command line: a tiny search, and mistakes as one red line."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from mlplab.cli import app

runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "base.toml").write_text(
        'data = "synthetic:moons,n=200,noise=0.2"\nhidden = [8]\nepochs = 3\n'
        "early_stopping = false\n", encoding="utf-8")
    (tmp_path / "space.toml").write_text(
        "lr = {log_uniform = [1e-3, 0.3]}\nbatch_size = {choice = [16, 32]}\n",
        encoding="utf-8")
    return tmp_path


def test_a_search_from_the_command_line(files):
    result = runner.invoke(app, ["tune", "--config", str(files / "base.toml"), "--space",
                                 str(files / "space.toml"), "--trials", "3", "--out",
                                 str(files / "studies"), "--study", "cli", "--metric",
                                 "val_accuracy", "--pruner", "halving", "--sampler", "tpe"])
    assert result.exit_code == 0, result.output
    found = re.search(r"study cli: (\d+) complete, (\d+) pruned, 0 failed", result.output)
    assert found and int(found[1]) + int(found[2]) == 3, result.output
    assert "best val_accuracy" in result.output
    assert (files / "studies" / "cli" / "best_config.toml").is_file()


@pytest.mark.parametrize("args, words", [
    (["--space", "S"], "--config and --space are required"),
    (["--config", "B", "--space", "S", "--sampler", "grd"], "did you mean 'grid'"),
    (["--config", "B", "--space", "S", "--metric", "accuracy"], "val_accuracy"),
    (["--config", "B", "--space", "S", "--trials", "0"], "n_trials"),
    (["--config", "B", "--space", "S", "--zoom", "5", "--trials", "3"], "zoom=5"),
    (["--config", "B", "--space", "missing.toml"], "space: file not found"),
    (["--config", "B", "--space", "S", "--storage", "mysql://x@h/db"], "sqlite:///PATH"),
    (["--config", "B", "--space", "S", "--study", "a/b"], "plain name"),
])
def test_mistakes_are_one_red_line(files, args, words):
    names = {"B": str(files / "base.toml"), "S": str(files / "space.toml"),
             "missing.toml": str(files / "missing.toml")}
    args = [names.get(a, a) for a in args]
    result = runner.invoke(app, ["tune", *args, "--out", str(files / "studies")])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert words in lines[0]


def test_report_of_a_missing_study(files):
    result = runner.invoke(app, ["tune", "report", str(files / "nothing")])
    assert result.exit_code == 1 and "no study" in result.output
