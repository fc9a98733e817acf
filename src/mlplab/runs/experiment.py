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

from mlplab.runs.artifacts import write_text
from mlplab.runs.config import TrainConfig
from mlplab.runs.run_folder import RESUME_FILE, RunFolder
from mlplab.runs.tasks import Prepared, get_task
from mlplab.runs.training import build_trainer, kept_epoch, run_callbacks

__all__ = ["RunResult", "resume_experiment", "run_experiment"]


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


def run_experiment(config: TrainConfig, console: Any = None, *,
                   resume: str | Path | None = None) -> RunResult:
    """Run the experiment ``config`` describes and write its files into ``config.run_dir``.

    Args:
        config: a ``TrainConfig`` (``mlplab.runs.load_config`` / ``make_config``).
        console: a ``rich.console.Console`` for the progress bar and a one-line summary
            of the data and model; None trains silently.
        resume: a checkpoint of this run (see :func:`resume_experiment`): training goes
            on from its epoch exactly as if it had never stopped.

    Nothing is written before the data is loaded and the network is built. A run that
    fails or is interrupted later cleans up its folder or leaves it marked; a note on
    the exception says which (:mod:`mlplab.runs.run_folder`).
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
    folder = RunFolder(config.run_dir)
    folder.open()
    trainer = None
    try:
        write_text(config.run_dir / "config.toml", config.to_toml())  # first: resumable
        _announce(console, config, prepared, architecture)
        callbacks = run_callbacks(config, config.run_dir, prepared.dev is not None, console)
        trainer = build_trainer(config, task, model, prepared, callbacks)
        if resume is not None:
            trainer.resume(resume)
        history = _train(trainer, config, prepared)
        result = _evaluate_and_write(config, task, trainer, prepared, history, callbacks)
    except KeyboardInterrupt as stop:
        stop.add_note(folder.interrupted())
        raise
    except Exception as err:
        err.add_note(folder.fail(err, _epochs_done(trainer)))
        raise
    folder.finish()
    result.architecture, result.seconds = architecture, time.perf_counter() - start
    return result


def _epochs_done(trainer: Any) -> int:
    return 0 if trainer is None else int(getattr(trainer, "epochs_done", 0))


def _train(trainer: Any, config: TrainConfig, prepared: Prepared) -> Any:
    """``trainer.fit`` up to ``config.epochs``; with epochs = 0 the untrained model's History."""
    if config.epochs == 0:
        return trainer.history
    return trainer.fit(*prepared.train, epochs=config.epochs, batch_size=config.batch_size,
                       validation_data=prepared.dev)


def _evaluate_and_write(config: TrainConfig, task: Any, trainer: Any, prepared: Prepared,
                        history: Any, callbacks: list[Any]) -> RunResult:
    """Metrics on every split, the test outputs, and the run folder's files."""
    splits = {"train": prepared.train, "dev": prepared.dev, "test": prepared.test}
    metrics = {name: task.evaluate(trainer, data, prepared)
               for name, data in splits.items() if data is not None}
    outputs = task.test_outputs(trainer, prepared)
    curves = {k: list(v) for k, v in history.history.items()}
    written = task.write_artifacts(config.run_dir, trainer.model,
                                   _metadata(config, prepared, metrics["test"]), prepared,
                                   curves, metrics, outputs)
    return RunResult(
        config=config, run_dir=config.run_dir, files=written.files, metrics=metrics,
        class_names=prepared.class_names, report=written.report,
        report_text=written.report_text, confusion=written.confusion, reading=written.reading,
        history=curves, epochs_run=len(history.epoch), best_epoch=kept_epoch(callbacks),
        stopped_reason=history.stopped_reason, architecture="", sizes=prepared.sizes,
        seconds=0.0, model=trainer.model, test_features=prepared.test_inputs,
        test_predictions=outputs.predictions, test_proba=outputs.proba,
    )


def resume_experiment(run_dir: str | Path, console: Any = None) -> RunResult:
    """Continue the interrupted run in ``run_dir`` from its last finished epoch.

    The folder's ``config.toml`` gives every setting and :data:`~mlplab.runs.run_folder.
    RESUME_FILE` the state (weights, optimizer, random generators, callbacks); the run
    then ends exactly as the uninterrupted run would have, bit for bit.
    """
    from mlplab.runs.config import load_config

    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise FileNotFoundError(f"--resume: run folder not found: {run_dir}; pass the folder "
                                "of an interrupted run, e.g. runs/digits")
    checkpoint = run_dir / RESUME_FILE
    if not (run_dir / "config.toml").is_file() or not checkpoint.is_file():
        missing = "config.toml" if checkpoint.is_file() else RESUME_FILE
        raise FileNotFoundError(f"--resume: {run_dir} has no {missing}, so there is nothing to "
                                "resume (a run that finished removes its last-epoch "
                                "checkpoint); start a new run with mlplab train")
    config = load_config(run_dir / "config.toml", output_dir=str(run_dir.parent),
                         name=run_dir.name)
    return run_experiment(config, console, resume=checkpoint)
