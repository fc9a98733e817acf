"""``mlplab.runs``: the end-to-end experiment runner behind ``mlplab train`` and ``make run``.

>>> from mlplab.runs import make_config, run_experiment            # doctest: +SKIP
>>> result = run_experiment(make_config(data="synthetic:moons", epochs=20))
>>> result.test_accuracy, result.run_dir

- :mod:`~mlplab.runs.config` — ``TrainConfig`` (pydantic), TOML files, data sources;
- :mod:`~mlplab.runs.tasks` — the task registry: classify, regression, text;
- :mod:`~mlplab.runs.experiment` — the one run skeleton, ``run_experiment(config)``, and
  ``resume_experiment(run_dir)`` after Ctrl-C;
- :mod:`~mlplab.runs.run_folder` — what a failed or interrupted run leaves behind;
- :mod:`~mlplab.runs.data` — train/dev/test splits, preprocessing fitted on train only;
- :mod:`~mlplab.runs.models` — the MLP and optimizer a config names;
- :mod:`~mlplab.runs.predict` — load a saved model, predict on files, evaluate.

The names below are loaded on first use: ``mlplab.runs.models`` (the MLP builder that
``mlplab.text`` shares) works without pydantic, the ``cli`` extra the config needs.
See docs/cli.md, docs/training.md and docs/regression.md.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ConfigError": "config", "TrainConfig": "config", "load_config": "config",
    "make_config": "config", "parse_data_spec": "sources",
    "RunResult": "experiment", "resume_experiment": "experiment",
    "run_experiment": "experiment",
    "Evaluation": "predict", "Predictions": "predict", "TrainedModel": "predict",
    "ValuePredictions": "predict", "evaluate_model": "predict", "load_trained": "predict",
    "predict_file": "predict",
    "TASKS": "tasks", "get_task": "tasks", "register_task": "tasks",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mlplab.runs' has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
    value = getattr(module, name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
