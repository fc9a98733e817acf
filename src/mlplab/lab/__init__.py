"""The claims lab: small experiments that make a claim about neural networks visible.

Each experiment returns numbers (so a test can check the claim) and draws them:

- ``initializations`` (:func:`compare_initializations`): per-layer activation and
  gradient histograms of a deep net under zero, small, large, Xavier and He
  initialization;
- ``hidden-sizes`` (:func:`compare_hidden_sizes`): decision boundaries with 0, 2, 8
  and 32 hidden units on a toy set;
- ``optimizer-race`` (:func:`optimizer_race`): loss curves of SGD, Momentum,
  Nesterov, Adagrad, RMSprop, Adadelta and Adam from the same weights and batches.

:data:`EXPERIMENTS` lists them with their claims; :func:`run` runs one by name, as
``mlplab lab run NAME`` does on the command line.
"""

from mlplab.lab.boundaries import (
    HIDDEN_SIZES,
    compare_hidden_sizes,
    fit_boundary,
    hidden_size_findings,
)
from mlplab.lab.findings import Findings
from mlplab.lab.initialization import (
    SCHEMES,
    activation_records,
    compare_initializations,
    deep_network,
    initialization_findings,
)
from mlplab.lab.optimizer_race import DEFAULT_OPTIMIZERS, optimizer_race, optimizer_race_findings
from mlplab.lab.registry import EXPERIMENTS, Experiment, get_experiment, run
from mlplab.lab.toy_data import TOY_DATASETS, toy_dataset

__all__ = ["DEFAULT_OPTIMIZERS", "EXPERIMENTS", "Experiment", "Findings", "HIDDEN_SIZES",
           "SCHEMES", "TOY_DATASETS", "activation_records", "compare_hidden_sizes",
           "compare_initializations", "deep_network", "fit_boundary", "get_experiment",
           "hidden_size_findings", "initialization_findings", "optimizer_race",
           "optimizer_race_findings", "run", "toy_dataset"]
