"""``run_experiment(config)``: one training run, end to end, into its own folder.

    data ──split──▶ train / dev / test ──fit preprocessing on train──▶ X, y
      ──Trainer.fit (progress bar, early stopping on dev loss, checkpoints, CSV log)──▶ model
      ──evaluate on test──▶ numbers, per-class report, confusion matrix, bias/variance reading
      ──write──▶ runs/<name>/ model.safetensors  history.csv  learning_curves.png
                             confusion_matrix.png  report.txt  config.toml  checkpoint.safetensors

The run is a pure function of the config: the same config (the ``config.toml`` it
writes) gives the same numbers.

Tasks: ``TASK_RUNNERS`` maps ``config.task`` to the function that runs it. The
``classify`` task (images, tables, synthetic sets) is :func:`run_classification`;
``text`` is ``mlplab.text.runs.run_text_experiment(config, console) -> RunResult``,
imported only when used.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mlplab.runs.config import TrainConfig

__all__ = ["RunResult", "TASK_RUNNERS", "resolve_config", "run_callbacks",
           "run_classification", "run_experiment"]

MODEL_FILE = "model.safetensors"


@dataclass
class RunResult:
    """What a run produced: the numbers, the files, and the trained model."""

    config: TrainConfig  # resolved: every automatic choice made explicit
    run_dir: Path
    files: dict[str, Path]
    metrics: dict[str, dict[str, float]]  # 'train', 'dev' (when split off), 'test'
    class_names: list[str]
    report: dict[str, Any]  # precision_recall_f1_report on the test split
    report_text: str
    confusion: np.ndarray
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
    test_predictions: np.ndarray | None = field(repr=False, default=None)  # class ids
    test_proba: np.ndarray | None = field(repr=False, default=None)  # (n_test, K)

    @property
    def test_accuracy(self) -> float:
        return self.metrics["test"]["accuracy"]


# --------------------------------------------------------------------------- config
def resolve_config(config: TrainConfig) -> TrainConfig:
    """Make the automatic choices explicit: standardize, augment_shift, name."""
    spec = config.data_spec
    update: dict[str, Any] = {}
    if config.standardize is None:
        update["standardize"] = spec.image_shape is None  # pixels stay in [0, 1]
    if config.augment and config.augment_shift is None:
        update["augment_shift"] = spec.image_shape[0] / 16  # 0.5 px on 8×8, 1.75 on 28×28
    if config.name is None:
        update["name"] = spec.default_name
    return config.model_copy(update=update)


# --------------------------------------------------------------------------- tasks
def _run_text(config: TrainConfig, console: Any = None) -> RunResult:
    try:
        from mlplab.text import runs
    except ImportError as err:
        raise RuntimeError(f"task: the text task is not available ({err}); train with "
                           "task = \"classify\" or install the text extra") from None
    return runs.run_text_experiment(config, console)


TASK_RUNNERS: dict[str, Callable[[TrainConfig, Any], RunResult]] = {}
"""``config.task`` → ``runner(config, console) -> RunResult`` (filled below)."""


def run_experiment(config: TrainConfig, console: Any = None) -> RunResult:
    """Run the experiment ``config`` describes and write its files into ``config.run_dir``.

    Args:
        config: a ``TrainConfig`` (``mlplab.runs.load_config`` / ``make_config``).
        console: a ``rich.console.Console`` for the progress bar and a one-line summary
            of the data and model; None trains silently.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config: expected a TrainConfig (mlplab.runs.make_config), received "
                        f"{type(config).__name__}")
    return TASK_RUNNERS[config.task](config, console)


# --------------------------------------------------------------------------- classification
def run_callbacks(config: TrainConfig, run_dir: Path, has_dev: bool, console: Any) -> list[Any]:
    """CSV log, best checkpoint, early stopping (when on) and the progress bar of a run."""
    from mlplab.train.callbacks import CSVLogger, EarlyStopping, ModelCheckpoint, ProgressBar

    monitor = "val_loss" if has_dev else "loss"
    callbacks: list[Any] = [
        CSVLogger(run_dir / "history.csv"),
        ModelCheckpoint(run_dir / "checkpoint.safetensors", monitor=monitor, save_best_only=True),
    ]
    if config.early_stopping:
        callbacks.append(EarlyStopping(monitor, patience=config.patience,
                                       restore_best_weights=True))
    if console is not None:  # a live bar on a terminal, one line per epoch in a log
        callbacks.append(ProgressBar(verbose=1 if console.is_terminal else 2, console=console))
    return callbacks


def kept_epoch(callbacks: list[Any]) -> int | None:
    """The 1-based epoch whose weights early stopping kept, or None without it."""
    from mlplab.train.callbacks import EarlyStopping

    stopper = next((cb for cb in callbacks if isinstance(cb, EarlyStopping)), None)
    return None if stopper is None or stopper.best_epoch is None else stopper.best_epoch + 1


def run_classification(config: TrainConfig, console: Any = None) -> RunResult:
    """Train and evaluate a K-class classifier (softmax cross-entropy) as ``config`` says."""
    import mlplab.nn as nn
    from mlplab.runs.artifacts import write_artifacts
    from mlplab.runs.data import Preprocessor, load_raw_splits
    from mlplab.runs.models import build_mlp, build_optimizer, describe_mlp
    from mlplab.train import Trainer

    start = time.perf_counter()
    config = resolve_config(config)
    raw = load_raw_splits(config)
    pre = Preprocessor.fit(raw.train, bool(config.standardize), target=raw.target)
    (X_train, y_train), (X_test, y_test) = pre.transform(raw.train), pre.transform(raw.test)
    dev = pre.transform(raw.dev) if raw.dev is not None else None
    class_names = raw.class_names or pre.class_names
    k, width = len(class_names), X_train.shape[1]
    sizes = {"train": len(y_train), "dev": 0 if dev is None else len(dev[1]),
             "test": len(y_test)}

    model = build_mlp(width, k, config.hidden, config.activation, config.init, config.dropout,
                      seed=config.seed)
    architecture = describe_mlp(width, k, config)
    run_dir = config.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    if console is not None:
        console.print(f"[bold]{config.data}[/bold]: {sizes['train']} train / {sizes['dev']} dev "
                      f"/ {sizes['test']} test samples, {width} features, {k} classes; "
                      f"model {architecture}; run folder {run_dir}", highlight=False)

    augment = None
    if config.augment:
        from mlplab.data import Augmenter

        augment = Augmenter(shift=config.augment_shift, rotate=config.augment_rotate,
                            image_shape=raw.spec.image_shape)
    callbacks = run_callbacks(config, run_dir, dev is not None, console)
    steps = math.ceil(len(y_train) / config.batch_size)
    trainer = Trainer(model, nn.CrossEntropyLoss(label_smoothing=config.label_smoothing),
                      build_optimizer(model, config, steps), metrics=("accuracy",),
                      callbacks=callbacks, seed=config.seed, verbose=0, augment=augment,
                      clip_grad_norm=config.clip_grad_norm)
    history = trainer.fit(X_train, y_train, epochs=config.epochs, batch_size=config.batch_size,
                          validation_data=dev)

    metrics = {"train": trainer.evaluate(X_train, y_train)}
    if dev is not None:
        metrics["dev"] = trainer.evaluate(*dev)
    metrics["test"] = trainer.evaluate(X_test, y_test)
    proba = trainer.predict_proba(X_test)
    best = kept_epoch(callbacks)

    metadata = {
        "task": config.task,
        "class_names": class_names,
        "input_width": width,
        "preprocessing": pre.to_dict(),
        "config": config.to_dict(),
        "data": {"source": config.data, "kind": raw.spec.kind,
                 "image_shape": list(raw.spec.image_shape or []) or None,
                 "feature_names": pre.encoder.feature_names if pre.encoder else None},
        "test_metrics": metrics["test"],
    }
    written = write_artifacts(run_dir, model, metadata, config, history.history, metrics,
                              y_test, proba, class_names)
    return RunResult(
        config=config, run_dir=run_dir, files=written["files"], metrics=metrics,
        class_names=class_names, report=written["report"], report_text=written["report_text"],
        confusion=written["confusion"], reading=written["reading"],
        history={k_: list(v) for k_, v in history.history.items()},
        epochs_run=len(history.epoch), best_epoch=best, stopped_reason=history.stopped_reason,
        architecture=architecture, sizes=sizes, seconds=time.perf_counter() - start,
        model=model, test_features=raw.test.features, test_predictions=proba.argmax(axis=1),
        test_proba=proba,
    )


TASK_RUNNERS.update({"classify": run_classification, "text": _run_text})
