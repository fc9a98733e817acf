"""``mlplab predict MODEL INPUT`` (or ``--text``): classes and probabilities, or values."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _print_top_classes(model: Path, texts: list[str], top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    from mlplab.runs import load_trained
    from mlplab.text.predict import top_classes

    if load_trained(model).task != "text":
        raise ValueError(f"--text: {model} is not a text model (it takes numbers); pass an "
                         "input file instead")
    rows = top_classes(model, texts, top=top)
    table = Table(title=f"top {top} classes", title_justify="left")
    for column, justify in (("text", "left"), ("rank", "right"), ("class", "left"),
                            ("probability", "right")):
        table.add_column(column, justify=justify)
    for row in rows:
        text = texts[row["text"]]
        shown = text if len(text) <= 40 else text[:39] + "…"
        table.add_row(shown if row["rank"] == 1 else "", str(row["rank"]), row["class"],
                      f"{row['probability']:.4f}")
    Console(highlight=False, soft_wrap=True).print(table)


def register(app: typer.Typer) -> None:
    @app.command("predict")
    def predict(
        model: Annotated[Path, typer.Argument(help="A model file, e.g. runs/digits/"
                                                   "model.safetensors.")],
        input: Annotated[Path | None, typer.Argument(
            help=".csv (a header row is optional for numeric data; CSV-trained models need "
                 "the training file's column names) or .npy (n, features) array; for a text "
                 "model a file with one text per line, or .jsonl with a 'text' field.")
        ] = None,
        text: Annotated[list[str] | None, typer.Option(
            "--text", "-t", help="A text to classify with a text model (repeatable); prints "
                                 "the top classes with their probabilities.")] = None,
        top: Annotated[int, typer.Option(help="How many classes --text shows per text.")
                       ] = 3,
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Write the predictions CSV here instead of printing it.")
        ] = None,
    ) -> None:
        """Predict each input row: a CSV of row, class, probability and p_<class>
        (a regression model: row and the predicted value).

        \b
        Examples:
          mlplab predict runs/digits/model.safetensors images.npy
          mlplab predict runs/adult/model.safetensors people.csv -o predictions.csv
          mlplab predict runs/thucnews_titles/model.safetensors --text "国足3比0完胜"
        """
        from mlplab.checks import POSITIVE_INT, check
        from mlplab.runs import predict_file

        if (input is None) == (not text):
            raise ValueError("predict: pass either an INPUT file or --text \"...\" (one of them)")
        check("predict", "--top", top, POSITIVE_INT)
        if text:
            _print_top_classes(model, list(text), top)
            return
        result = predict_file(model, input, output)
        if output is None:
            typer.echo(result.to_csv(), nl=False)
            return
        typer.echo(f"wrote {len(result)} predictions to {output} ({result.summary()})")
