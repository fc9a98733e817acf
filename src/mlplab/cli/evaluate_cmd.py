"""``mlplab evaluate MODEL DATA``: loss, accuracy and the per-class report of a saved model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    def evaluate(
        model: Annotated[Path, typer.Argument(help="A model file, e.g. runs/digits/"
                                                   "model.safetensors.")],
        data: Annotated[str, typer.Argument(
            help="Data source: digits, mnist[:PATH], fashion-mnist[:PATH], "
                 "csv:PATH[,target=COL], synthetic:NAME; npy:PATH or parquet:PATH[,target=COL] "
                 "(read chunk by chunk, any size); for a text model tsv:PATH or "
                 "jsonl:PATH.")],
        split: Annotated[str, typer.Option(
            help="test: the run's test split (same seed and fractions); all: every sample; "
                 "auto: all for CSV, .npy and Parquet files, test otherwise.")] = "auto",
    ) -> None:
        """Evaluate a saved model on a dataset and print its metrics and per-class report.

        \b
        Examples:
          mlplab evaluate runs/digits/model.safetensors digits
          mlplab evaluate runs/adult/model.safetensors csv:adult_new.csv
          mlplab evaluate runs/big/model.safetensors npy:data/big --split test
          mlplab evaluate runs/thucnews_titles/model.safetensors tsv:test.txt
        """
        from rich.console import Console

        from mlplab.runs import evaluate_model
        from mlplab.runs.render import metrics_table, report_table

        result = evaluate_model(model, data, split=split)
        console = Console(highlight=False, soft_wrap=True)
        console.print(metrics_table({result.split: result.metrics}, {result.split: result.n},
                                    title=f"{model} on {data}"))
        if result.report:  # classifiers: precision, recall, F1 per class
            console.print(report_table(result.report, title=f"per-class report ({result.split})"))
