"""``mlplab predict MODEL INPUT``: class names (and probabilities) for each row of a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("predict")
    def predict(
        model: Annotated[Path, typer.Argument(help="A model file, e.g. runs/digits/"
                                                   "model.safetensors.")],
        input: Annotated[Path, typer.Argument(
            help=".csv (a header row is optional for numeric data; CSV-trained models need "
                 "the training file's column names) or .npy (n, features) array.")],
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Write the predictions CSV here instead of printing it.")
        ] = None,
    ) -> None:
        """Predict the class of each input row: a CSV of row, class, probability and p_<class>.

        Examples: mlplab predict runs/digits/model.safetensors images.npy;
        mlplab predict runs/adult/model.safetensors people.csv --output predictions.csv
        """
        from collections import Counter

        from mlplab.lab import predict_file
        from mlplab.lab.predict import write_predictions

        result = predict_file(model, input, output)
        if output is None:
            typer.echo(write_predictions(result), nl=False)
            return
        counts = Counter(result.names)
        summary = ", ".join(f"{name}: {counts[name]}" for name in result.class_names
                            if counts[name])
        typer.echo(f"wrote {len(result)} predictions to {output} ({summary})")
