"""The ``adadelta-jitter`` experiment: its measure reads a zig-zag as jitter, AdaDelta's
late step sits on the stability edge 2/λ, and the verdict follows the measurements."""

from __future__ import annotations

import numpy as np

import mlplab.lab as lab
from mlplab.lab.experiments import adadelta_jitter
from mlplab.lab.experiments.adadelta_jitter import descend, late_phase


def test_late_phase_reads_a_zigzag_as_jitter_and_a_decay_as_settling():
    t = np.arange(101)
    zigzag = np.stack([np.zeros(101), 0.02 * (-1.0) ** t], axis=1)
    decay = np.stack([0.9 ** t, 0.5 * 0.9 ** t], axis=1)
    hops, settles = late_phase(zigzag), late_phase(decay)
    assert hops["y_step_reversals"] == 1.0 and hops["step_over_distance"] == 2.0
    assert np.isclose(hops["lowest_loss"], 0.5 * 50 * 0.02 ** 2)
    assert settles["y_step_reversals"] == 0.0 and settles["step_over_distance"] < 0.2


def test_adadelta_settles_on_the_stability_edge_and_adam_does_not_hop():
    path = descend("adadelta", (10.0, 1.0), 4000, lr=1.0, rho=0.9, eps=1e-6)
    y = path[2000:, 1]
    eta = -(y[1:] - y[:-1]) / (50 * y[:-1])  # the step size the rule took along y
    # y := (1 − 50η) y is stable only for η < 2/50; AdaDelta's η stays there, a hair above
    assert np.all(np.abs(eta - 2 / 50) < 1e-4) and np.median(eta) > 2 / 50
    assert abs(y[-1]) >= abs(y[0])  # the hop does not shrink
    adam = descend("adam", (10.0, 1.0), 4000, lr=0.01)
    assert abs(adam[-1, 1]) < 1e-20  # Adam's y has settled on the valley floor


def test_the_verdict_fails_when_adadelta_is_replaced_by_a_rule_that_settles(monkeypatch):
    real = adadelta_jitter.descend

    def adam_instead(name, start, steps, **kwargs):
        return real("adam", start, steps, lr=0.01) if name == "adadelta" else \
            real(name, start, steps, **kwargs)

    monkeypatch.setattr(adadelta_jitter, "descend", adam_instead)
    result = lab.run("adadelta-jitter")
    assert result.verdict == "fail" and result.measured["adadelta_jitters"] == 0
