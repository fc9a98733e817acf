"""The files a run leaves behind, and the bias/variance reading they report.

Every file is written atomically (temporary file, then rename), so an interrupted
run never leaves half a model or half a report next to good ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["final_reading", "format_metrics", "write_artifacts"]


def final_reading(metrics: dict[str, dict[str, float]]) -> Any:
    """The notes' bias/variance reading of the *final* model (after early stopping restored
    the best weights): train error vs dev error, from clean evaluations (no dropout, no
    augmentation), not from the running averages logged during training."""
    from mlplab.viz import bias_variance_reading

    history = {"accuracy": [metrics["train"]["accuracy"]]}
    if "dev" in metrics:
        history["val_accuracy"] = [metrics["dev"]["accuracy"]]
    return bias_variance_reading(history, "accuracy")


def format_metrics(metrics: dict[str, dict[str, float]]) -> str:
    """'train   loss 0.41  accuracy 0.998' lines, one per split."""
    return "\n".join(f"{split:<6} loss {values['loss']:.4f}  accuracy {values['accuracy']:.4f}"
                     for split, values in metrics.items())


def _write_text(path: Path, text: str) -> Path:
    from mlplab.io.container import write_atomic

    return write_atomic(path, text.encode("utf-8"))


def write_artifacts(run_dir: Path, model: Any, metadata: dict[str, Any], config: Any,
                    history: dict[str, list[float]], metrics: dict[str, dict[str, float]],
                    y_test: np.ndarray, proba: np.ndarray, class_names: list[str]
                    ) -> dict[str, Any]:
    """Write model, plots, report and resolved config into ``run_dir``.

    Returns ``{"files": {name: path}, "report": dict, "report_text": str,
    "confusion": ndarray, "reading": BiasVarianceReading}``.
    """
    from mlplab.io import save
    from mlplab.train.metrics import confusion_matrix, format_report, precision_recall_f1_report
    from mlplab.viz import plot_confusion_matrix, plot_learning_curves, save_figure

    files: dict[str, Path] = {}
    files["model"] = save(model, run_dir / "model.safetensors", metadata=metadata)
    files["config"] = _write_text(run_dir / "config.toml", config.to_toml())
    if (run_dir / "history.csv").exists():
        files["history"] = run_dir / "history.csv"
    if (run_dir / "checkpoint.safetensors").exists():
        files["checkpoint"] = run_dir / "checkpoint.safetensors"

    reading = final_reading(metrics)
    if history.get("loss"):
        keys = tuple(k for k in ("loss", "accuracy") if history.get(k))
        fig = plot_learning_curves(history, keys, annotate=False,
                                   title=f"{config.run_name}: train vs dev")
        fig.supxlabel(f"final model: {reading.text}", fontsize=9, wrap=True)
        files["learning_curves"] = save_figure(fig, run_dir / "learning_curves.png")

    y_pred = proba.argmax(axis=1)
    cm = confusion_matrix(y_test, y_pred, num_classes=len(class_names))
    files["confusion_matrix"] = run_dir / "confusion_matrix.png"
    plot_confusion_matrix(cm, class_names, files["confusion_matrix"],
                          title=f"{config.run_name}: test confusion matrix")

    report = precision_recall_f1_report(y_test, proba, class_names)
    report_text = format_report(report)
    lines = [
        f"mlplab run '{config.run_name}' on {config.data}",
        "",
        format_metrics(metrics),
        "",
        f"bias/variance: {reading.text}",
        "",
        "per-class precision, recall and F1 on the test split:",
        report_text,
        "",
        "confusion matrix on the test split (rows: true class, columns: predicted class):",
        "classes: " + ", ".join(class_names),
        np.array2string(cm, max_line_width=200, threshold=10_000),
    ]
    files["report"] = _write_text(run_dir / "report.txt", "\n".join(lines) + "\n")
    return {"files": files, "report": report, "report_text": report_text, "confusion": cm,
            "reading": reading}
