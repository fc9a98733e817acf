"""The claims lab: each experiment is a name, the one claim it makes visible, and a function.

``run(name, out_dir, seed, **options)`` checks the name and the options, runs the
experiment and returns its :class:`~mlplab.lab.findings.Findings` (a small table,
plus the PNG files written into ``out_dir``). ``mlplab lab list`` and
``mlplab lab run NAME`` are this module on the command line.

Adding an experiment: write a function ``f(out_dir=None, seed=0, **options) ->
Findings`` and list it in :data:`EXPERIMENTS` with its claim and the constraints
of its options (the ``mlplab.checks`` vocabulary).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mlplab.checks import NON_NEGATIVE_INT, POSITIVE_INT, InstanceOf, check, check_all, unknown
from mlplab.lab.boundaries import hidden_size_findings
from mlplab.lab.findings import Findings
from mlplab.lab.initialization import initialization_findings
from mlplab.lab.optimizer_race import optimizer_race_findings
from mlplab.lab.toy_data import DATASET

ACTIVATION = InstanceOf((str,), "an activation name", example="'relu'")
"""The ``activation`` option: any name ``ml.nn.get_activation`` knows (checked when built)."""


@dataclass(frozen=True)
class Experiment:
    """One experiment of the lab: ``run(out_dir, seed, **options)`` shows ``claim``."""

    name: str
    claim: str
    run: Callable[..., Findings]
    options: Mapping[str, Any] = field(default_factory=dict)
    """Option name → its constraint; the defaults are ``run``'s keyword defaults."""


EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (
    Experiment(
        "initializations",
        "The scale of the initial weights decides whether a deep tanh network's signal "
        "survives: all zeros keep every unit identical, small weights let it vanish, large "
        "ones saturate it, Xavier and He keep its spread steady.",
        initialization_findings, {"activation": ACTIVATION}),
    Experiment(
        "hidden-sizes",
        "Without a hidden layer the decision boundary is a straight line (XOR stays "
        "unsolved); each hidden unit lets it bend further around the data.",
        hidden_size_findings,
        {"dataset": DATASET, "activation": ACTIVATION, "epochs": POSITIVE_INT}),
    Experiment(
        "optimizer-race",
        "From the same weights and mini-batches, momentum and Adam lower the training loss "
        "faster than plain SGD.",
        optimizer_race_findings,
        {"dataset": DATASET, "activation": ACTIVATION, "epochs": POSITIVE_INT}),
)}
"""Every experiment of the lab, by name."""


def get_experiment(name: str) -> Experiment:
    """The experiment called ``name``; an unknown name lists the valid ones."""
    if name not in EXPERIMENTS:
        raise unknown("lab", "experiment", name, EXPERIMENTS)
    return EXPERIMENTS[name]


def run(name: str, out_dir: Any = None, seed: int = 0, **options: Any) -> Findings:
    """Run the experiment ``name`` and return its findings (figures go into ``out_dir``).

    >>> sorted(EXPERIMENTS)
    ['hidden-sizes', 'initializations', 'optimizer-race']
    """
    experiment = get_experiment(name)
    owner = f"lab {name}"
    check(owner, "seed", seed, NON_NEGATIVE_INT)
    check_all(owner, options, experiment.options, skip=())
    return experiment.run(out_dir=out_dir, seed=seed, **options)
