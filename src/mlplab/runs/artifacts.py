"""The files a run leaves behind, and the bias/variance reading they report.

Every run folder holds the model file, ``config.toml``, ``history.csv``, the best
checkpoint, ``learning_curves.png`` and ``report.txt``; a classifier adds its test
confusion matrix. Every file is written atomically (temporary file, then rename), so
an interrupted run never leaves half a model or half a report next to good ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mlplab.runs.tasks import Artifacts, Outputs, Prepared

__all__ = ["final_reading", "format_metrics", "write_classification", "write_run_files",
           "write_text"]


def final_reading(metrics: dict[str, dict[str, float]], key: str = "accuracy") -> Any:
    """The bias/variance reading of the *final* model (after early stopping restored the
    best weights): train error vs dev error from clean evaluations (no dropout, no
    augmentation), not from the running averages logged during training. ``key`` is
    'accuracy' (error 1 − accuracy) or 'r2' (error 1 − R², the unexplained variance)."""
    from mlplab.viz import bias_variance_reading

    history = {key: [metrics["train"][key]]}
    if "dev" in metrics:
        history[f"val_{key}"] = [metrics["dev"][key]]
    return bias_variance_reading(history, key)


def format_metrics(metrics: dict[str, dict[str, float]]) -> str:
    """'train   loss 0.4100  accuracy 0.9980' lines, one per split."""
    return "\n".join(f"{split:<6} " + "  ".join(f"{k} {v:.4f}" for k, v in values.items())
                     for split, values in metrics.items())


def write_text(path: Path, text: str) -> Path:
    from mlplab.io.container import write_atomic

    return write_atomic(path, text.encode("utf-8"))


def write_run_files(run_dir: Path, model: Any, metadata: dict[str, Any], config: Any,
                    history: dict[str, list[float]], reading: Any, curves: tuple[str, ...]
                    ) -> dict[str, Path]:
    """Model, config.toml and the learning curves; history.csv and the checkpoint were
    written during training by their callbacks."""
    from mlplab.io import save
    from mlplab.viz import plot_learning_curves, save_figure

    files: dict[str, Path] = {"model": save(model, run_dir / "model.safetensors",
                                            metadata=metadata)}
    files["config"] = write_text(run_dir / "config.toml", config.to_toml())
    for name, file in (("history", "history.csv"), ("checkpoint", "checkpoint.safetensors")):
        if (run_dir / file).exists():
            files[name] = run_dir / file
    if history.get("loss"):
        keys = tuple(k for k in curves if history.get(k))
        fig = plot_learning_curves(history, keys, annotate=False,
                                   title=f"{config.run_name}: train vs dev")
        fig.supxlabel(f"final model: {reading.text}", fontsize=9, wrap=True)
        files["learning_curves"] = save_figure(fig, run_dir / "learning_curves.png")
    return files


def write_classification(run_dir: Path, model: Any, metadata: dict[str, Any],
                         prepared: Prepared, history: dict[str, list[float]],
                         metrics: dict[str, dict[str, float]], outputs: Outputs) -> Artifacts:
    """The common files plus the confusion matrix and the per-class report of a classifier."""
    from mlplab.train.metrics import confusion_matrix, format_report, precision_recall_f1_report
    from mlplab.viz import plot_confusion_matrix

    config, names, y_test = prepared.config, prepared.class_names, prepared.test[1]
    reading = final_reading(metrics)
    files = write_run_files(run_dir, model, metadata, config, history, reading,
                            ("loss", "accuracy"))
    cm = confusion_matrix(y_test, outputs.predictions, num_classes=len(names))
    files["confusion_matrix"] = run_dir / "confusion_matrix.png"
    plot_confusion_matrix(cm, names, files["confusion_matrix"],
                          title=f"{config.run_name}: test confusion matrix")
    report = precision_recall_f1_report(y_test, outputs.proba, names)
    report_text = format_report(report)
    lines = [
        f"mlplab run '{config.run_name}' on {config.data}", "", format_metrics(metrics), "",
        f"bias/variance: {reading.text}", "",
        "per-class precision, recall and F1 on the test split:", report_text, "",
        "confusion matrix on the test split (rows: true class, columns: predicted class):",
        "classes: " + ", ".join(names),
        np.array2string(cm, max_line_width=200, threshold=10_000),
    ]
    files["report"] = write_text(run_dir / "report.txt", "\n".join(lines) + "\n")
    return Artifacts(files, reading, report, report_text, cm)
