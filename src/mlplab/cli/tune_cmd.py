"""``mlplab tune``: a hyper-parameter search over a space file; ``mlplab tune report``.

The search is :func:`mlplab.tune.search`: the base config (any ``mlplab train`` config
file), a space file naming the settings to vary and their distributions, and the number
of trials the study should hold. Running the same command again continues the study.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

TUNE_HELP = ("Search hyper-parameters with Optuna: random, grid or TPE sampling, "
             "pruning, coarse to fine, many workers.")
EXAMPLES = """\b
Examples:
  mlplab tune --config examples/config_digits.toml --space examples/space.toml
  mlplab tune --config base.toml --space space.toml --trials 40 --workers 2
  mlplab tune --config base.toml --space space.toml --zoom 2 --sampler random
  mlplab tune ... --storage postgresql://me:pw@db:5432/studies --study adult
  mlplab tune report runs/studies/digits"""


def _search(config: Path | None, space: Path | None, **options) -> None:
    from mlplab.cli import make_console
    from mlplab.tune import search

    if config is None or space is None:
        raise ValueError("tune: --config and --space are required; e.g. mlplab tune "
                         "--config examples/config_digits.toml --space examples/space.toml")
    console = make_console()
    result = search(config, space, console=console, **options)
    _print_result(console, result)


def _print_result(console, result) -> None:
    states = [t.state.name for t in result.trials()]
    console.print(f"study {result.study.study_name}: {states.count('COMPLETE')} complete, "
                  f"{states.count('PRUNED')} pruned, {states.count('FAIL')} failed; "
                  f"folder {result.folder}", highlight=False)
    if "COMPLETE" not in states:
        return
    values = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in result.space.values(result.best_trial.params).items())
    console.print(f"best {result.metric} {result.best_value:.4f} (trial "
                  f"{result.best_trial.number}): {values}", highlight=False)
    if "best_config" in result.files:
        console.print(f"reproduce: mlplab train --config {result.files['best_config']}",
                      highlight=False)


def register(app: typer.Typer) -> None:
    from mlplab.cli import HelpGroup

    tune_app = typer.Typer(name="tune", cls=HelpGroup, help=TUNE_HELP, epilog=EXAMPLES,
                           invoke_without_command=True, no_args_is_help=True,
                           rich_markup_mode=None)

    @tune_app.callback()
    def tune(
        ctx: typer.Context,
        config: Annotated[Path | None, typer.Option(
            "--config", help="Base config (TOML, as for mlplab train).")] = None,
        space: Annotated[Path | None, typer.Option(
            "--space", help="Space file: setting = {distribution = [low, high]}.")] = None,
        trials: Annotated[int, typer.Option(
            "--trials", "-n", help="Finished trials the study ends with.")] = 20,
        sampler: Annotated[str, typer.Option(help="random, grid or tpe.")] = "random",
        metric: Annotated[str, typer.Option(help="val_loss or val_accuracy.")] = "val_loss",
        pruner: Annotated[str, typer.Option(help="median, halving or none.")] = "median",
        storage: Annotated[str | None, typer.Option(
            help="Storage URL (default: SQLite in the study folder).")] = None,
        study: Annotated[str | None, typer.Option(
            help="Study name (default: the config's run name).")] = None,
        workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
        timeout: Annotated[float | None, typer.Option(
            help="Seconds after which no trial starts.")] = None,
        zoom: Annotated[int, typer.Option(help="Coarse-to-fine rounds.")] = 1,
        seed: Annotated[int, typer.Option(help="Seed of the samplers.")] = 0,
        out: Annotated[Path | None, typer.Option(
            "--out", help="Parent of the study folder [default: runs/studies].")] = None,
    ) -> None:
        """Search hyper-parameters: each trial trains the base config with sampled
        settings; the report goes to OUT/STUDY."""
        if ctx.invoked_subcommand is not None:
            return
        _search(config, space, n_trials=trials, sampler=sampler, metric=metric, pruner=pruner,
                storage=storage, study=study, workers=workers, timeout=timeout, zoom=zoom,
                seed=seed, out=out)

    @tune_app.command("report")
    def report(
        study: Annotated[str, typer.Argument(help="Study folder, or a name with --storage.")],
        storage: Annotated[str | None, typer.Option(help="Storage URL of the study.")] = None,
    ) -> None:
        """Write a study's report: best trials, best config TOML, importances, plots."""
        from mlplab.cli import make_console
        from mlplab.tune import load_study
        from mlplab.tune.report import write_report

        console = make_console()
        result = load_study(study, storage)
        result.files = write_report(result)
        _print_result(console, result)
        console.print(f"report: {result.files['report']}", highlight=False)

    app.add_typer(tune_app, name="tune")
