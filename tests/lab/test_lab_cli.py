"""``mlplab lab list|run`` and the ``mlplab playground`` aliases on the command line."""

from __future__ import annotations

from typer.testing import CliRunner

from mlplab.cli import app

runner = CliRunner()


def test_lab_list_names_every_experiment_and_its_claim():
    result = runner.invoke(app, ["lab", "list"])
    assert result.exit_code == 0, result.output
    for name in ("initializations", "hidden-sizes", "optimizer-race"):
        assert name in result.output
    assert "straight" in result.output  # part of the hidden-sizes claim


def test_lab_run_prints_the_table_and_writes_the_figures(tmp_path):
    result = runner.invoke(app, ["lab", "run", "hidden-sizes", "--out", str(tmp_path),
                                 "--option", "dataset=xor", "--option", "epochs=20",
                                 "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "training accuracy on xor" in result.output
    assert f"4 figures written to {tmp_path}/" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"boundary_xor_{h}_hidden.png" for h in (0, 2, 32, 8)]


def test_lab_run_refuses_an_option_the_experiment_does_not_use(tmp_path):
    result = runner.invoke(app, ["lab", "run", "initializations", "--out", str(tmp_path),
                                 "--option", "dataset=xor"])
    assert result.exit_code == 1
    assert "unknown option 'dataset'" in result.output and "valid: activation" in result.output
    bad = runner.invoke(app, ["lab", "run", "initializations", "--option", "activation"])
    assert bad.exit_code == 1 and "expected KEY=VALUE" in bad.output
    zero = runner.invoke(app, ["lab", "run", "optimizer-race", "--option", "epochs=0"])
    assert zero.exit_code == 1 and "epochs must be an integer >= 1, got 0" in zero.output


def test_playground_alias_says_where_the_experiment_lives_now(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("mlplab.cli.lab_cmd.run_and_print",
                        lambda *args: calls.append(args))
    result = runner.invoke(app, ["playground", "boundary", "--dataset", "xor",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "now 'mlplab lab run hidden-sizes'" in result.output
    assert calls == [("hidden-sizes", tmp_path, 0, {"dataset": "xor"})]


def test_playground_rejects_instead_of_replacing(tmp_path):
    unused = runner.invoke(app, ["playground", "init", "--dataset", "moons",
                                 "--out", str(tmp_path)])
    assert unused.exit_code == 1 and "unknown option 'dataset'" in unused.output
    typo = runner.invoke(app, ["playground", "optimisers"])
    assert typo.exit_code == 1 and "did you mean 'optimizers'?" in typo.output
