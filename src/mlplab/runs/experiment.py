"""``run_experiment(config)``: one training run, end to end, into its own folder.

    data ──split──▶ train / dev / test ──fit preprocessing on train──▶ X, y
      ──Trainer.fit (progress bar, early stopping on dev loss, checkpoints, CSV log)──▶ model
      ──evaluate on every split──▶ numbers, report, bias/variance reading
      ──write──▶ runs/<name>/ model.safetensors  history.csv  learning_curves.png
                             report.txt  config.toml  checkpoint.safetensors  (…)

This skeleton is the same for every task; what differs (the data, the loss, the
metrics, the report) is the task's hooks (:mod:`mlplab.runs.tasks`). The run is a
pure function of the config: the same config (the ``config.toml`` it writes) gives
the same numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.runs.config import TrainConfig
from mlplab.runs.tasks import Prepared, get_task
from mlplab.runs.training import build_trainer, kept_epoch, run_callbacks

__all__ = ["RunResult", "run_experiment"]


@dataclass
class RunResult:
    """What a run produced: the numbers, the files, and the trained model."""

    config: TrainConfig  # resolved: every automatic choice made explicit
    run_dir: Path
    files: dict[str, Path]
    metrics: dict[str, dict[str, float]]  # 'train', 'dev' (when split off), 'test'
    class_names: list[str]  # [] for regression
    report: dict[str, Any]  # per-class report on the test split (classifiers)
    report_text: str
    confusion: np.ndarray | None  # test confusion matrix (classifiers)
    reading: Any  # ml.viz.BiasVarianceReading of the final model
    history: dict[str, list[float]]
    epochs_run: int
    best_epoch: int | None  # 1-based epoch whose weights were kept (early stopping)
    stopped_reason: str | None
    architecture: str
    sizes: dict[str, int]
    seconds: float
    model: Any = field(repr=False, default=None)
    test_features: Any = field(repr=False, default=None)  # raw test inputs (before scaling)
    test_predictions: np.ndarray | None = field(repr=False, default=None)  # ids or values
    test_proba: np.ndarray | None = field(repr=False, default=None)  # (n_test, K), classifiers

    @property
    def task(self) -> str:
        return self.config.task

    @property
    def test_accuracy(self) -> float:
        return self.metrics["test"]["accuracy"]

    @property
    def test_r2(self) -> float:
        return self.metrics["test"]["r2"]


def _announce(console: Any, config: TrainConfig, prepared: Prepared, architecture: str) -> None:
    if console is not None:
        console.print(f"[bold]{config.data}[/bold]: {prepared.summary}; model {architecture}; "
                      f"run folder {config.run_dir}", highlight=False)


def _metadata(config: TrainConfig, prepared: Prepared, test: dict[str, float]) -> dict:
    """What the model file keeps besides the weights (JSON)."""
    return {"task": config.task, "class_names": prepared.class_names,
            "input_width": prepared.input_width, "config": config.to_dict(),
            **prepared.metadata, "test_metrics": test}


def run_experiment(config: TrainConfig, console: Any = None) -> RunResult:
    """Run the experiment ``config`` describes and write its files into ``config.run_dir``.

    Args:
        config: a ``TrainConfig`` (``mlplab.runs.load_config`` / ``make_config``).
        console: a ``rich.console.Console`` for the progress bar and a one-line summary
            of the data and model; None trains silently.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"run_experiment: config must be a TrainConfig (mlplab.runs."
                        f"make_config), got {type(config).__name__}")
    start = time.perf_counter()
    task = get_task(config.task)
    prepared = task.prepare(task.resolve(config))
    config = prepared.config
    model = task.build_model(config, prepared)
    architecture = task.describe_model(config, prepared)
    run_dir = config.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    _announce(console, config, prepared, architecture)

    callbacks = run_callbacks(config, run_dir, prepared.dev is not None, console)
    trainer = build_trainer(config, task, model, prepared, callbacks)
    history = trainer.fit(*prepared.train, epochs=config.epochs, batch_size=config.batch_size,
                          validation_data=prepared.dev)
    splits = {"train": prepared.train, "dev": prepared.dev, "test": prepared.test}
    metrics = {name: task.evaluate(trainer, data, prepared)
               for name, data in splits.items() if data is not None}
    outputs = task.test_outputs(trainer, prepared)
    curves = {k: list(v) for k, v in history.history.items()}
    written = task.write_artifacts(run_dir, model, _metadata(config, prepared, metrics["test"]),
                                   prepared, curves, metrics, outputs)
    return RunResult(
        config=config, run_dir=run_dir, files=written.files, metrics=metrics,
        class_names=prepared.class_names, report=written.report,
        report_text=written.report_text, confusion=written.confusion, reading=written.reading,
        history=curves, epochs_run=len(history.epoch), best_epoch=kept_epoch(callbacks),
        stopped_reason=history.stopped_reason, architecture=architecture,
        sizes=prepared.sizes, seconds=time.perf_counter() - start, model=model,
        test_features=prepared.test_inputs, test_predictions=outputs.predictions,
        test_proba=outputs.proba,
    )
