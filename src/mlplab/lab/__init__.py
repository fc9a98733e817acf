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

from mlplab.lab.catalog import GROUPS, Experiment, all_experiments
from mlplab.lab.catalog import get as get_experiment
from mlplab.lab.claim import VERDICTS, Claim, Outcome, Verdict
from mlplab.lab.context import Context
from mlplab.lab.findings import Findings
from mlplab.lab.report import write_report
from mlplab.lab.result import Result, load_results
from mlplab.lab.runner import run, run_many

__all__ = ["GROUPS", "VERDICTS", "Claim", "Context", "Experiment", "Findings", "Outcome",
           "Result", "Verdict", "all_experiments", "get_experiment", "load_results", "run",
           "run_many", "write_report"]
