"""The report: the files it promises, and a best config that ``mlplab train`` reproduces."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from mlplab.cli import app
from mlplab.tune import search

from .conftest import BASE

runner = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    from mlplab.runs import make_config
    from mlplab.tune import parse_space

    base = make_config(BASE)
    space = parse_space({"lr": {"log_uniform": [1e-3, 0.3]},
                         "dropout": {"uniform": [0.0, 0.3]}}, base)
    out = tmp_path_factory.mktemp("studies")
    return search(base, space, n_trials=8, out=out, study="rep", pruner="none")


def test_the_report_files(searched):
    folder = searched.folder
    for name in ("report.md", "trials.csv", "importances.json", "best_config.toml"):
        assert (folder / name).is_file(), name
    for name in ("history", "slice", "contour", "importances"):
        assert (folder / f"{name}.png").read_bytes()[:8] == PNG, name
    rows = list(csv.DictReader((folder / "trials.csv").open(encoding="utf-8")))
    assert len(rows) == 8 and {r["state"] for r in rows} == {"COMPLETE"}
    weights = json.loads((folder / "importances.json").read_text(encoding="utf-8"))
    assert set(weights) == {"lr", "dropout"} and sum(weights.values()) == pytest.approx(1)
    report = (folder / "report.md").read_text(encoding="utf-8")
    best = searched.best_trial
    lines = report.splitlines()
    first_row = lines[next(i for i, line in enumerate(lines) if line.startswith("| ---")) + 1]
    assert first_row.startswith(f"| {best.number} | {best.value:.4g} |")
    assert "round 1: lr" in report


def test_the_best_config_reproduces_with_mlplab_train(searched, tmp_path):
    toml = searched.folder / "best_config.toml"
    result = runner.invoke(app, ["train", "--config", str(toml), "-o", str(tmp_path),
                                 "--quiet"])
    assert result.exit_code == 0, result.output
    run_dir = tmp_path / "rep-best"
    with (run_dir / "history.csv").open(encoding="utf-8") as handle:
        last = list(csv.DictReader(handle))[-1]
    assert float(last["val_loss"]) == pytest.approx(searched.best_value, rel=1e-6)


def test_mlplab_tune_report_rewrites_the_report(searched):
    (searched.folder / "report.md").unlink()
    result = runner.invoke(app, ["tune", "report", str(searched.folder)])
    assert result.exit_code == 0, result.output
    assert f"best val_loss {searched.best_value:.4f}" in result.output
    assert (searched.folder / "report.md").is_file()
