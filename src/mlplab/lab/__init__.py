"""Small experiments that make the notes' claims visible (each returns numbers and can draw them).

- ``compare_initializations``: per-layer activation/gradient histograms of a deep net
  under zero, small, large, Xavier and He initialization;
- ``compare_hidden_sizes``: decision boundaries with 0, 2, 8, 32 hidden units;
- ``optimizer_race``: loss curves of SGD, Momentum, Nesterov, Adagrad, RMSprop,
  Adadelta and Adam from the same start.

The same experiments run from the command line: ``mlplab playground init|boundary|optimizers``.
"""

from mlplab.lab.boundaries import compare_hidden_sizes, fit_boundary
from mlplab.lab.initialization import (
    SCHEMES,
    activation_records,
    compare_initializations,
    deep_network,
)
from mlplab.lab.optimizer_race import DEFAULT_OPTIMIZERS, optimizer_race

__all__ = ["DEFAULT_OPTIMIZERS", "SCHEMES", "activation_records", "compare_hidden_sizes",
           "compare_initializations", "deep_network", "fit_boundary", "optimizer_race"]
