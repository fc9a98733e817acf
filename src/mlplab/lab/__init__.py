"""The claims lab: every claim of the course reproduced, with a verdict, figures and a report.

Each experiment is one module of :mod:`mlplab.lab.experiments` declaring a
:class:`~mlplab.lab.claim.Claim` (the sentence, the course's term, the margin that
decides the verdict, stated before running) and ``run(lab) -> Outcome``. The catalog
finds them; the runner times a run and saves ``OUT/NAME/result.json`` with its
figures; the report renders ``OUT/index.html``.

>>> import mlplab.lab as lab
>>> result = lab.run("linear-collapse")          # quick mode, seed 0, nothing written
>>> result.verdict
'pass'

``mlplab lab list`` and ``mlplab lab run NAME | --all`` are the same on the command line.
"""

from mlplab.lab.boundaries import (
    HIDDEN_SIZES,
    compare_hidden_sizes,
    fit_boundary,
    hidden_size_findings,
)
from mlplab.lab.catalog import GROUPS, Experiment, all_experiments
from mlplab.lab.catalog import get as get_experiment
from mlplab.lab.claim import VERDICTS, Claim, Outcome, Verdict
from mlplab.lab.context import Context
from mlplab.lab.experiments.initialization import (
    SCHEMES,
    activation_records,
    compare_initializations,
    deep_network,
    initialization_findings,
)
from mlplab.lab.findings import Findings
from mlplab.lab.optimizer_race import DEFAULT_OPTIMIZERS, optimizer_race, optimizer_race_findings
from mlplab.lab.report import write_report
from mlplab.lab.result import Result, load_results
from mlplab.lab.runner import run, run_many
from mlplab.lab.toy_data import TOY_DATASETS, toy_dataset

__all__ = ["DEFAULT_OPTIMIZERS", "GROUPS", "HIDDEN_SIZES", "SCHEMES", "TOY_DATASETS",
           "VERDICTS", "Claim", "Context", "Experiment", "Findings", "Outcome", "Result",
           "Verdict", "activation_records", "all_experiments", "compare_hidden_sizes",
           "compare_initializations", "deep_network", "fit_boundary", "get_experiment",
           "hidden_size_findings", "initialization_findings", "load_results", "optimizer_race",
           "optimizer_race_findings", "run", "run_many", "toy_dataset", "write_report"]
