"""``mlplab.runs``: the end-to-end experiment runner behind ``mlplab train`` and ``make run``.

>>> from mlplab.runs import make_config, run_experiment            # doctest: +SKIP
>>> result = run_experiment(make_config(data="synthetic:moons", epochs=20))
>>> result.test_accuracy, result.run_dir

- :mod:`~mlplab.runs.config` — ``TrainConfig`` (pydantic), TOML files, data sources;
- :mod:`~mlplab.runs.data` — train/dev/test splits, preprocessing fitted on train only;
- :mod:`~mlplab.runs.models` — the MLP and optimizer a config names;
- :mod:`~mlplab.runs.experiment` — ``run_experiment(config) -> RunResult``;
- :mod:`~mlplab.runs.predict` — load a saved model, predict on files, evaluate.

Imported on demand (it needs pydantic, the ``cli`` extra); ``import mlplab`` does not load it.
See docs/cli.md and docs/training.md.
"""

from mlplab.runs.config import ConfigError, TrainConfig, load_config, make_config, parse_data_spec
from mlplab.runs.experiment import RunResult, run_experiment
from mlplab.runs.predict import (
    Evaluation,
    Predictions,
    TrainedModel,
    evaluate_model,
    load_trained,
    predict_file,
)

__all__ = [
    "ConfigError", "Evaluation", "Predictions", "RunResult", "TrainConfig", "TrainedModel",
    "evaluate_model", "load_config", "load_trained", "make_config", "parse_data_spec",
    "predict_file", "run_experiment",
]
