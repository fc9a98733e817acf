"""Tasks: what a run learns, as hooks around the one run skeleton.

:func:`~mlplab.runs.experiment.run_experiment` does the same thing for every task:
load and split the data, build the network, train it with callbacks, evaluate it on
each split, and write the run folder. What differs — how data is read, which loss
and metrics, what a prediction looks like, what a model file keeps — is a
:class:`Task`'s hooks. ``classify`` (K-class softmax), ``regression`` (a linear
output, targets standardized) and ``text`` (TF-IDF features) are tasks.

Registration is by name. A task's module calls :func:`register_task` when it is
imported; :data:`TASK_MODULES` names the module of every known task, so
:func:`get_task` imports it on first use with ``importlib``. That is how
``mlplab.text`` (a layer above this one) adds its task without this package ever
importing it: the only reference is the string ``"mlplab.text.task"``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from mlplab.checks import unknown

__all__ = ["Artifacts", "Outputs", "Prepared", "TASKS", "TASK_MODULES", "Task", "get_task",
           "register_task", "task_names"]

TASK_MODULES: dict[str, str] = {
    "classify": "mlplab.runs.classify",
    "regression": "mlplab.runs.regression",
    "text": "mlplab.text.task",
}
"""Task name → the module that registers it when imported (an entry-point-like table)."""

TASKS: dict[str, Task] = {}
"""The tasks registered so far, by name (filled as their modules are imported)."""


@dataclass
class Prepared:
    """One run's data in the form the network takes, with what the model file must keep."""

    config: Any  # the config, with the choices made while loading (e.g. text features)
    train: tuple[Any, Any]  # (X, y) for the Trainer
    dev: tuple[Any, Any] | None
    test: tuple[Any, Any]
    input_width: int
    output_width: int
    class_names: list[str]  # [] for regression
    test_inputs: Any  # the raw test inputs, before preprocessing
    metadata: dict[str, Any]  # saved in the model file: preprocessing, targets, vocabulary
    summary: str  # "1293 train / 144 dev / 360 test samples, 64 features, 10 classes"
    augment: Any = None  # a transform of training batches (images), or None

    @property
    def sizes(self) -> dict[str, int]:
        return {"train": _rows(self.train[0]), "dev": 0 if self.dev is None
                else _rows(self.dev[0]), "test": _rows(self.test[0])}


def _rows(X: Any) -> int:
    return X.shape[0] if hasattr(X, "shape") else len(X)


@dataclass
class Outputs:
    """A model's answers on the test split: predictions (class ids or values) and, for
    classifiers, the class probabilities (n, K)."""

    predictions: Any
    proba: Any = None


@dataclass
class Artifacts:
    """What writing a run folder produced besides the files themselves."""

    files: dict[str, Any]
    reading: Any  # ml.viz.BiasVarianceReading of the final model
    report: dict[str, Any] = field(default_factory=dict)  # per-class report (classifiers)
    report_text: str = ""
    confusion: Any = None  # test confusion matrix (classifiers)


class Task:
    """The hooks a task fills in; :mod:`mlplab.runs.experiment` calls them in order.

    At construction of a config: :meth:`check` (pure cross-field checks). At run time:
    :meth:`resolve` → :meth:`prepare` → :meth:`build_model` / :meth:`loss` → training →
    :meth:`evaluate` per split → :meth:`test_outputs` → :meth:`write_artifacts`. On a
    saved model: :meth:`predict_file` and :meth:`evaluate_file`.
    """

    name: str = ""
    data_kinds: tuple[str, ...] = ()  # the data sources it reads ('csv', 'digits', …)
    losses: tuple[str, ...] = ("cross_entropy",)  # the first is the default
    options: tuple[str, ...] = ()  # keys of the config's [options] table
    metrics: tuple[str, ...] = ("accuracy",)  # logged per epoch (History, history.csv)

    def check(self, config: Any) -> None:
        """Raise a one-line ValueError for settings this task cannot use."""
        extra = sorted(set(config.options) - set(self.options))
        if extra and not self.options:
            raise ValueError(f"config: the {self.name} task takes no options, got "
                             f"{', '.join(extra)}; remove them")
        if extra:
            raise unknown(f"config: options of the {self.name} task", "option", extra[0],
                          self.options)
        if config.loss is not None and config.loss not in self.losses:
            raise ValueError(f"config: loss={config.loss!r} does not fit the {self.name} task; "
                             f"use one of {', '.join(self.losses)}")

    def loss_name(self, config: Any) -> str:
        return config.loss or self.losses[0]

    def resolve(self, config: Any) -> Any:
        """The config with every automatic choice made explicit (written to config.toml)."""
        return config

    def prepare(self, config: Any) -> Prepared:
        raise NotImplementedError(f"the {self.name} task does not load data")

    def build_model(self, config: Any, prepared: Prepared) -> Any:
        """The MLP the config describes, from ``prepared.input_width`` to its outputs."""
        from mlplab.runs.models import mlp_from_config

        return mlp_from_config(config, prepared.input_width, prepared.output_width)

    def describe_model(self, config: Any, prepared: Prepared) -> str:
        from mlplab.runs.models import describe_mlp

        return describe_mlp(config, prepared.input_width, prepared.output_width)

    def loss(self, config: Any) -> Any:
        raise NotImplementedError

    def evaluate(self, trainer: Any, data: tuple[Any, Any], prepared: Prepared
                 ) -> dict[str, float]:
        return trainer.evaluate(*data)

    def test_outputs(self, trainer: Any, prepared: Prepared) -> Outputs:
        raise NotImplementedError

    def write_artifacts(self, run_dir: Any, model: Any, metadata: dict[str, Any],
                        prepared: Prepared, history: dict[str, list[float]],
                        metrics: dict[str, dict[str, float]], outputs: Outputs) -> Artifacts:
        """Save the model with ``metadata`` and write the run's plots and report."""
        raise NotImplementedError

    def predict_file(self, trained: Any, input_path: Any, output: Any = None) -> Any:
        """Predictions of a saved model (``mlplab.runs.predict.TrainedModel``) on a file."""
        raise NotImplementedError

    def evaluate_file(self, trained: Any, data: str, split: str) -> Any:
        """An ``Evaluation`` of a saved model on a data source."""
        raise NotImplementedError


def register_task(task: Task) -> Task:
    """Add ``task`` to :data:`TASKS` under ``task.name`` (a task module calls this once)."""
    TASKS[task.name] = task
    return task


def task_names() -> list[str]:
    return sorted({*TASKS, *TASK_MODULES})


def get_task(name: str) -> Task:
    """The task called ``name``, importing its module from :data:`TASK_MODULES` if needed."""
    if name not in TASKS and name in TASK_MODULES:
        importlib.import_module(TASK_MODULES[name])
    if name not in TASKS:
        raise unknown("config", "task", name, task_names())
    return TASKS[name]
