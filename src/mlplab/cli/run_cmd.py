"""``mlplab run`` (what ``make run`` does): train on the bundled digits, report, save, reload.

No data folder and no download: scikit-learn ships the 8×8 digits. The command
trains the ``mlplab.runs.recipes.DIGITS`` network with a progress bar, early
stopping on a dev split, prints the test accuracy and the per-class report, saves
model, learning curves and confusion matrix into ``runs/<name>/``, then loads the
saved file again and checks that it predicts exactly what the trained model did.
"""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run(
        output_dir: Annotated[str, typer.Option("--output-dir", "-o",
                                                help="Parent folder of the run.")] = "runs",
        name: Annotated[str, typer.Option(help="Run folder name.")] = "digits",
        seed: Annotated[int, typer.Option(help="One seed for split, weights, dropout, "
                                               "augmentation and shuffling.")] = 0,
        epochs: Annotated[int, typer.Option(help="Maximum epochs (early stopping usually "
                                                 "ends sooner).")] = 300,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-epoch output.")
                         ] = False,
    ) -> None:
        """Train an MLP on the bundled digits end to end: the main demo (make run)."""
        import numpy as np
        from rich.console import Console

        from mlplab.runs import load_trained, make_config, run_experiment
        from mlplab.runs.data import Part
        from mlplab.runs.recipes import DIGITS
        from mlplab.runs.render import metrics_table, report_table, training_ending

        console = Console(highlight=False, soft_wrap=True)
        config = make_config(DIGITS, output_dir=output_dir, name=name, seed=seed,
                             epochs=epochs)
        console.rule("[bold]mlplab: an MLP learns handwritten digits")
        result = run_experiment(config, console=None if quiet else console)

        console.print(f"trained {result.architecture} for {result.epochs_run} "
                      f"epoch{'s' if result.epochs_run != 1 else ''} in "
                      f"{result.seconds:.1f} s; {training_ending(result)}")
        console.print(f"[bold green]test accuracy: {result.test_accuracy:.4f}[/bold green] "
                      f"({result.sizes['test']} test images, error "
                      f"{1 - result.test_accuracy:.2%})")
        console.print(metrics_table(result.metrics, result.sizes))
        console.print(report_table(result.report))
        console.print(f"[bold]bias/variance:[/bold] {result.reading.text}")

        # reload the saved file and check it predicts exactly what the trained model did
        model_path = result.files["model"]
        trained = load_trained(model_path)
        proba = trained.predict_proba(Part(result.test_features, None))
        same_classes = np.array_equal(proba.argmax(axis=1), result.test_predictions)
        max_diff = float(np.max(np.abs(proba - result.test_proba)))
        if not same_classes or max_diff != 0.0:
            raise RuntimeError(f"the reloaded model {model_path} predicts differently from the "
                               f"trained one (max |Δp| = {max_diff:.3g}); the model file is "
                               "not faithful")
        console.print(f"reloaded {model_path}: identical predictions on all "
                      f"{len(proba)} test images (max |Δp| = {max_diff:g}) ✓")
        console.print("files: " + ", ".join(str(p) for p in result.files.values()))
