"""The lab's registry: names, claims, option checks, and ``run`` returning readable findings."""

from __future__ import annotations

import pytest

import mlplab.lab as lab


def test_every_experiment_states_one_claim_and_its_options():
    assert set(lab.EXPERIMENTS) == {"initializations", "hidden-sizes", "optimizer-race"}
    for name, experiment in lab.EXPERIMENTS.items():
        assert experiment.name == name
        assert experiment.claim.endswith(".") and experiment.claim.count(". ") == 0
        assert "activation" in experiment.options


def test_run_returns_a_readable_table():
    findings = lab.run("hidden-sizes", dataset="xor", epochs=150)
    assert findings.columns == ("hidden units", "accuracy")
    assert [row[0] for row in findings.rows] == ["0", "2", "8", "32"]
    accuracy = {int(h): float(a) for h, a in findings.rows}
    assert accuracy[0] <= 0.8 and accuracy[32] >= 0.95  # a line cannot separate XOR
    assert findings.figures == ()  # no folder, no figures


def test_initializations_findings_have_one_column_per_layer():
    findings = lab.run("initializations")
    assert findings.columns == ("init", "L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8")
    assert [row[0] for row in findings.rows] == list(lab.SCHEMES)
    assert findings.figures == ()
    zeros = dict((row[0], row[1:]) for row in findings.rows)["zeros"]
    assert set(zeros) == {"0"}


@pytest.mark.parametrize("name,options,message", [
    ("optimizer-rase", {}, "lab: unknown experiment 'optimizer-rase'; did you mean "
                           "'optimizer-race'?"),
    ("initializations", {"dataset": "xor"}, "lab initializations: unknown option 'dataset'"),
    ("hidden-sizes", {"dataset": "moon"}, "dataset must be one of .*did you mean 'moons'"),
    ("hidden-sizes", {"seed": -1}, "lab hidden-sizes: seed must be an integer >= 0"),
])
def test_bad_names_and_options_are_refused_with_one_clear_line(name, options, message):
    with pytest.raises(ValueError, match=message):
        lab.run(name, **options)
