"""``mlplab.tune``: hyper-parameter search, as the course teaches it, on Optuna.

- :mod:`~mlplab.tune.space` — the space file: which settings, on which scale
  (log for α, 1 − β on a log scale for β, choices for layers and batch sizes);
- :mod:`~mlplab.tune.objective` — one trial: settings → ``TrainConfig`` → training →
  the dev metric;
- :mod:`~mlplab.tune.pruning` — stop hopeless trials early (median, successive halving);
- :mod:`~mlplab.tune.zoom` — coarse to fine: shrink the space around the best trials;
- :mod:`~mlplab.tune.storage` — SQLite in the study folder, or PostgreSQL for many
  machines; heartbeats so a killed worker's trial is failed and the study goes on;
- :mod:`~mlplab.tune.workers` — worker processes sharing one study;
- :mod:`~mlplab.tune.report` — best trials, best config as TOML, importances, plots;
- :func:`~mlplab.tune.search.search` — all of it in one call.

Optuna is imported only when a search runs (the ``tune`` extra). See docs/tuning.md.
"""

from mlplab.tune.objective import METRICS, config_for
from mlplab.tune.pruning import PRUNERS, PruningCallback
from mlplab.tune.search import SearchResult, search
from mlplab.tune.space import Dimension, Space, SpaceError, load_space, parse_space
from mlplab.tune.workers import SAMPLERS
from mlplab.tune.zoom import zoom_space

__all__ = ["METRICS", "PRUNERS", "SAMPLERS", "Dimension", "PruningCallback", "SearchResult",
           "Space", "SpaceError", "config_for", "load_space", "load_study", "parse_space",
           "search", "zoom_space"]


def load_study(study: str, storage: str | None = None, out: str | None = None):
    """A finished or running search, as a :class:`SearchResult` (see :mod:`.report`)."""
    from mlplab.tune.report import load_result

    return load_result(study, storage, out)
