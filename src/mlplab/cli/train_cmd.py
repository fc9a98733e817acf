"""``mlplab train``: train an MLP from flags or a TOML config, into ``runs/<name>/``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def _parse_options(pairs: list[str]) -> dict[str, Any]:
    """``["model=mlp", "top=3"]`` → ``{"model": "mlp", "top": 3}`` (TOML values, else strings)."""
    import tomllib

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option: expected KEY=VALUE, received {pair!r}; e.g. "
                             "--option model=mlp")
        try:
            options[key.strip()] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            options[key.strip()] = value
    return options


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train(
        config: Annotated[Path | None, typer.Option(
            "--config", "-c", help="TOML file with the settings; flags override it.")] = None,
        data: Annotated[str | None, typer.Option(
            help="digits | mnist[:PATH] | fashion-mnist[:PATH] | csv:PATH[,target=COL] | "
                 "synthetic:NAME[,n=N,noise=S]; with --task text: tsv:PATH | jsonl:PATH  "
                 "[default: digits]")] = None,
        task: Annotated[str | None, typer.Option(
            help="classify (default) or text (TF-IDF softmax regression, or an MLP with "
                 "--hidden 64).")] = None,
        hidden: Annotated[str | None, typer.Option(
            help="Hidden layer widths, e.g. '128' or '256,128'; '' for softmax regression. "
                 "[default: 128]")] = None,
        activation: Annotated[str | None, typer.Option(
            help="relu, tanh, sigmoid, leaky_relu, elu, … [default: relu]")] = None,
        init: Annotated[str | None, typer.Option(
            help="he_normal, xavier_uniform, … [default: PyTorch's U(±1/√n_in)]")] = None,
        optimizer: Annotated[str | None, typer.Option(
            help="sgd, adagrad, rmsprop, adadelta, adam, adamw [default: adam]")] = None,
        lr: Annotated[float | None, typer.Option(help="Learning rate α [default: 0.001].")] = None,
        momentum: Annotated[float | None, typer.Option(
            help="Momentum β (sgd, rmsprop) [default: 0].")] = None,
        schedule: Annotated[str | None, typer.Option(
            help="constant, inverse_time, exponential, step, cosine [default: constant]")] = None,
        epochs: Annotated[int | None, typer.Option(help="Maximum epochs [default: 100].")] = None,
        batch_size: Annotated[int | None, typer.Option(
            help="Mini-batch size [default: 32].")] = None,
        dropout: Annotated[float | None, typer.Option(
            help="Dropout probability after each hidden layer [default: 0].")] = None,
        weight_decay: Annotated[float | None, typer.Option(
            help="L2 weight decay λ (decoupled for adamw) [default: 0].")] = None,
        label_smoothing: Annotated[float | None, typer.Option(
            help="Label smoothing ε of the cross-entropy [default: 0].")] = None,
        patience: Annotated[int | None, typer.Option(
            help="Early stopping: epochs without dev improvement [default: 10].")] = None,
        early_stopping: Annotated[bool | None, typer.Option(
            "--early-stopping/--no-early-stopping", help="[default: on]")] = None,
        validation_split: Annotated[float | None, typer.Option(
            help="Fraction of the training data held out as the dev set [default: 0.1].")] = None,
        test_split: Annotated[float | None, typer.Option(
            help="Test fraction for data without its own test set [default: 0.2].")] = None,
        standardize: Annotated[bool | None, typer.Option(
            "--standardize/--no-standardize",
            help="x := (x − μ)/σ with training statistics [default: tables yes, images no]")
        ] = None,
        augment: Annotated[bool | None, typer.Option(
            "--augment/--no-augment", help="Random shifts and rotations (images).")] = None,
        seed: Annotated[int | None, typer.Option(help="One seed for everything [default: 0].")
                        ] = None,
        output_dir: Annotated[str | None, typer.Option(
            "--output-dir", "-o", help="Parent folder of the run [default: runs].")] = None,
        name: Annotated[str | None, typer.Option(
            help="Run folder name [default: after the data].")] = None,
        option: Annotated[list[str] | None, typer.Option(
            "--option", help="Task-specific setting KEY=VALUE (repeatable), e.g. for the text "
                             "task; VALUE is read as a TOML value when it parses as one.")
        ] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")
                         ] = False,
    ) -> None:
        """Train a classifier and write model, history, plots and report into the run folder.

        Examples: mlplab train --data digits --hidden 128 --dropout 0.2 --augment;
        mlplab train --config examples/config_digits.toml --epochs 50;
        mlplab train --data csv:data.csv,target=label --hidden 64,32;
        mlplab train --task text --data tsv:thucnews_titles/train.txt --hidden 64
        """
        from rich.console import Console

        from mlplab.runs import load_config, make_config, run_experiment
        from mlplab.runs.render import print_run_summary

        settings = load_config(
            config, data=data, task=task, hidden=hidden, activation=activation, init=init,
            optimizer=optimizer, lr=lr, momentum=momentum, schedule=schedule, epochs=epochs,
            batch_size=batch_size, dropout=dropout, weight_decay=weight_decay,
            label_smoothing=label_smoothing, patience=patience, early_stopping=early_stopping,
            validation_split=validation_split, test_split=test_split, standardize=standardize,
            augment=augment, seed=seed, output_dir=output_dir, name=name)
        if option:
            settings = make_config(settings.model_dump(exclude_unset=True),
                                   options={**settings.options, **_parse_options(option)})
        console = Console(highlight=False, soft_wrap=True)
        result = run_experiment(settings, console=None if quiet else console)
        print_run_summary(console, result)
