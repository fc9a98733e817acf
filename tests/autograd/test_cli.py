"""The ``mlplab`` command line: graph, gradcheck, demo, and its error handling."""

from __future__ import annotations

import uuid

import numpy as np
import pytest
from typer.testing import CliRunner

from mlplab.autograd import REGISTRY, Primitive
from mlplab.autograd.gradcheck_cases import CASES, add_cases, unchecked_primitives
from mlplab.cli import app, main
from mlplab.cli.demo import XOR_Y, train_xor

runner = CliRunner()


def test_graph_prints_value_gradients_and_dot():
    result = runner.invoke(app, ["graph", "x*(x+y)", "--x", "2", "--y", "1"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "f = 6" in out
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in out.splitlines()
            if line.count("│") >= 4]
    assert ["x", "2", "5"] in rows and ["y", "1", "2"] in rows  # variable, value, ∂f/∂variable
    assert ["x + y", "add", "3", "2"] in rows  # node, op, value, ∂f/∂node
    assert "digraph mlplab {" in out
    assert 'label="x + y\\n= 3\\ngrad 2"' in out  # ∂f/∂z for z = x + y


def test_graph_accepts_other_variable_spellings_and_writes_dot(tmp_path):
    target = tmp_path / "g.dot"
    result = runner.invoke(app, ["graph", "x*exp((3*x)*max(x,y))", "--x=-1", "y=-2",
                                 "--no-dot", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "digraph" not in result.output
    assert target.read_text().startswith("digraph mlplab {")
    assert "maximum" in target.read_text()


def test_graph_without_graphviz_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    result = runner.invoke(app, ["graph", "x", "--x", "1", "--out", str(tmp_path / "g.svg")])
    assert result.exit_code == 1
    assert "apt install graphviz" in result.output


@pytest.mark.parametrize("args,fragment", [
    (["graph", "x.__class__", "--x", "1"], "attribute access"),
    (["graph", "x+y", "--x", "1"], "no value for y"),
    (["graph", "x+y", "--x", "1", "--y", "1", "--yy", "2"], "did you mean --y?"),
    (["graph", "x", "--x", "two"], "expected a number"),
])
def test_bad_graph_input_exits_1_with_one_line(args, fragment):
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert fragment in result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1


def test_main_returns_status_and_debug_shows_the_traceback(capsys):
    assert main(["graph", "x.__class__", "--x", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: expression 'x.__class__'") and err.count("\n") == 1
    with pytest.raises(ValueError, match="attribute access"):
        main(["--debug", "graph", "x.__class__", "--x", "1"])
    assert main(["--help"]) == 0
    assert main(["no-such-command"]) == 2  # usage errors keep click's status


def test_gradcheck_command_lists_every_primitive():
    result = runner.invoke(app, ["gradcheck"])
    for name in REGISTRY:
        assert name[:18] in result.output
    assert result.exit_code == (1 if unchecked_primitives() else 0), result.output


def test_gradcheck_command_passes_on_core_ops_and_fails_on_a_wrong_rule():
    ok = runner.invoke(app, ["gradcheck", "--op", "matmul", "--op", "softmax"])
    assert ok.exit_code == 0, ok.output
    assert "great" in ok.output
    name = f"test_cli_wrong_{uuid.uuid4().hex[:8]}"
    prim = Primitive(name, forward=lambda x: x * x, vjps=(lambda g, out, x: -2 * g * x,))
    try:
        add_cases(name, [("(3,)", prim, [((3,), "normal")])])
        bad = runner.invoke(app, ["gradcheck", "--op", name])
    finally:
        REGISTRY.pop(name, None)
        CASES.pop(name, None)
    assert bad.exit_code == 1
    assert "FAILED" in bad.output
    unknown = runner.invoke(app, ["gradcheck", "--op", "sofmax"])
    assert unknown.exit_code == 1 and "did you mean 'softmax'" in unknown.output


def test_demo_runs_the_notes_examples_and_learns_xor():
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "4068869.785" in out  # ∂f/∂x = 25 e¹² at x = 2, y = 1, autograd and formula
    assert out.count("4068869.785") >= 3
    assert "FAILED" not in out
    assert "learned XOR" in out


def test_xor_network_learns_xor():
    run = train_xor(seed=2)
    predictions = run["predictions"]
    assert np.array_equal(predictions > 0.5, np.array(XOR_Y) > 0.5)
    assert run["losses"][-1] < 0.05 < run["losses"][0]
