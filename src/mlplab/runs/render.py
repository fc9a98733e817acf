"""Rich tables for the command line: metrics per split, the per-class report, the files."""

from __future__ import annotations

from typing import Any

__all__ = ["metrics_table", "print_run_summary", "report_table", "training_ending"]


def metrics_table(metrics: dict[str, dict[str, float]], sizes: dict[str, int] | None = None,
                  title: str = "results") -> Any:
    """One row per split: samples, then every metric (loss, accuracy, rmse, r2, …); a
    classifier's table adds the error rate 1 − accuracy."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    names = list(next(iter(metrics.values()), {}))
    for column in ("split", "samples", *names):
        table.add_column(column, justify="left" if column == "split" else "right")
    has_accuracy = "accuracy" in names
    if has_accuracy:
        table.add_column("error", justify="right")
    for split, values in metrics.items():
        n = "" if sizes is None else str(sizes.get(split, ""))
        cells = [f"{values[name]:.4f}" for name in names]
        if has_accuracy:
            cells.append(f"{1 - values['accuracy']:.2%}")
        table.add_row(split, n, *cells)
    return table


def report_table(report: dict[str, Any], title: str = "per-class report (test split)") -> Any:
    """precision / recall / F1 / support per class, then the macro and weighted averages."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column("class")
    for column in ("precision", "recall", "f1-score", "support"):
        table.add_column(column, justify="right")
    averages = ("macro avg", "weighted avg")
    for name, values in report.items():
        if name == "accuracy" or name in averages:
            continue
        table.add_row(name, f"{values['precision']:.3f}", f"{values['recall']:.3f}",
                      f"{values['f1-score']:.3f}", str(values["support"]))
    table.add_section()
    for name in averages:
        values = report[name]
        table.add_row(name, f"{values['precision']:.3f}", f"{values['recall']:.3f}",
                      f"{values['f1-score']:.3f}", str(values["support"]))
    return table


def training_ending(result: Any) -> str:
    """How training ended, e.g. 'early stopping kept the weights of epoch 177 (lowest dev
    loss)'."""
    if result.best_epoch is None:
        return "no early stopping"
    how = "early stopping" if result.stopped_reason else "after the last epoch"
    which = "dev" if result.sizes.get("dev") else "training"
    return f"{how} kept the weights of epoch {result.best_epoch} (lowest {which} loss)"


def print_run_summary(console: Any, result: Any, per_class: bool = False) -> None:
    """Metrics table, bias/variance reading, how training ended, and the files written."""
    console.print(f"trained {result.architecture} for {result.epochs_run} "
                  f"epoch{'s' if result.epochs_run != 1 else ''} in "
                  f"{result.seconds:.1f} s; {training_ending(result)}", highlight=False)
    console.print(metrics_table(result.metrics, result.sizes))
    if per_class and result.report:
        console.print(report_table(result.report))
    console.print(f"[bold]bias/variance:[/bold] {result.reading.text}", highlight=False)
    console.print(f"files written to [bold]{result.run_dir}[/bold]/: "
                  + ", ".join(p.name for p in result.files.values()), highlight=False)
