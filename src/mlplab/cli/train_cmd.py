"""``mlplab train``: train an MLP from flags or a TOML config, into ``runs/<name>/``.

The flags are generated from ``TrainConfig``'s fields, so every setting of a config
file is a flag (``batch_size`` → ``--batch-size``) with the field's help and default,
and the two cannot drift apart. A flag that is not given leaves the file's value
alone (its shown default is the config's). List settings take comma-separated
values: ``--hidden 256,128``, ``--dropout 0.3,0.1``, ``--activation relu,tanh``.
"""

from __future__ import annotations

import inspect
import types
import typing
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import typer

EXAMPLES = """\b
Examples:
  mlplab train --data digits --hidden 128 --dropout 0.2 --augment
  mlplab train --config examples/config_digits.toml --epochs 50
  mlplab train --data csv:data.csv,target=label --hidden 64,32 --norm batch
  mlplab train --task regression --data csv:houses.csv,target=price
  mlplab train --task text --data tsv:news/train.txt --hidden 64
  mlplab train --resume runs/digits    (after Ctrl-C)"""

SHORT_NAMES = {"output_dir": "-o"}


def _parse_options(pairs: list[str]) -> dict[str, Any]:
    """``["model=mlp", "top=3"]`` → ``{"model": "mlp", "top": 3}`` (TOML values, else strings)."""
    import tomllib

    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--option: expected KEY=VALUE, got {pair!r}; e.g. "
                             "--option model=mlp")
        try:
            options[key.strip()] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            options[key.strip()] = value
    return options


def _flag_type(annotation: Any) -> type:
    """What the flag parses: bool, int or float for plain settings, else text for the config
    to read (names, lists, data sources)."""
    kinds = {a for a in _leaves(annotation) if a is not type(None)}
    for kind in (bool, int, float):
        if kinds == {kind} or (kind is float and kinds == {int, float}):
            return kind
    return str


def _leaves(annotation: Any) -> set[Any]:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _leaves(args[0])
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_leaves(a) for a in args))
    return {list if origin is list else (str if origin is typing.Literal else annotation)}


def _flag_default(value: Any) -> Any:
    """The config's default as the flag shows it (a list as '256,128'); None shows nothing."""
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return value


def setting_parameters() -> list[inspect.Parameter]:
    """One keyword parameter per ``TrainConfig`` field (except ``options``), as typer options."""
    from mlplab.runs.config import SECTIONS, TrainConfig

    params = []
    for name, field in TrainConfig.model_fields.items():
        if name == "options":
            continue
        kind = _flag_type(field.annotation)
        flag = "--" + name.replace("_", "-")
        decls = [f"{flag}/--no-{flag[2:]}"] if kind is bool else [flag]
        decls += [SHORT_NAMES[name]] if name in SHORT_NAMES else []
        section = (field.json_schema_extra or {}).get("section", SECTIONS[-1])
        option = typer.Option(*decls, help=field.description,
                              rich_help_panel=f"{section.capitalize()} settings")
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                        default=_flag_default(field.default),
                                        annotation=Annotated[kind | None, option]))
    return params


def _given(ctx: typer.Context, settings: dict[str, Any]) -> dict[str, Any]:
    """The settings whose flags were given: the others must not override the file."""
    # compared by name: typer may vendor its own copy of click's ParameterSource enum
    return {name: value for name, value in settings.items()
            if getattr(ctx.get_parameter_source(name), "name", "DEFAULT") != "DEFAULT"}


def _check_resume_alone(config: Path | None, option: list[str] | None,
                        given: dict[str, Any]) -> None:
    """--resume takes every setting from the run's config.toml: nothing may change it."""
    flags = ["--config"] * (config is not None) + ["--option"] * bool(option) + [
        "--" + name.replace("_", "-") for name in given]
    if flags:
        raise ValueError(f"--resume continues a run with the settings in its config.toml, so "
                         f"{', '.join(flags)} cannot be given with it; to change settings, "
                         "start a new run")


def _train(ctx: typer.Context, config: Path | None, option: list[str] | None, quiet: bool,
           resume: Path | None, **settings: Any) -> None:
    from rich.console import Console

    from mlplab.runs import load_config, make_config, resume_experiment, run_experiment
    from mlplab.runs.render import print_run_summary

    console = Console(highlight=False, soft_wrap=True)
    if resume is not None:
        _check_resume_alone(config, option, _given(ctx, settings))
        result = resume_experiment(resume, console=None if quiet else console)
        print_run_summary(console, result)
        return
    values = load_config(config, **_given(ctx, settings))
    if option:
        values = make_config(values.model_dump(exclude_unset=True),
                             options={**values.options, **_parse_options(option)})
    result = run_experiment(values, console=None if quiet else console)
    print_run_summary(console, result)


def register(app: typer.Typer) -> None:
    fixed = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          annotation=typer.Context),
        inspect.Parameter("config", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=Annotated[Path | None, typer.Option(
                              "--config", "-c", help="TOML file with the settings; flags "
                              "override it.")]),
        inspect.Parameter("option", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=Annotated[list[str] | None, typer.Option(
                              "--option", help="Task-specific setting KEY=VALUE (repeatable),"
                              " e.g. for the text task; VALUE is read as TOML when it parses.")]),
        inspect.Parameter("quiet", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=Annotated[bool, typer.Option(
                              "--quiet", "-q", help="No progress output.")]),
        inspect.Parameter("resume", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=Annotated[Path | None, typer.Option(
                              "--resume", metavar="RUN_DIR", help="Continue the interrupted "
                              "run in RUN_DIR exactly where it stopped (its config.toml "
                              "gives every setting).")]),
    ]

    def train(**kwargs: Any) -> None:
        _train(**kwargs)

    train.__doc__ = ("Train a network and write model, history, plots and report into the "
                     "run folder.\n\n" + EXAMPLES)
    parameters = [*fixed, *setting_parameters()]
    train.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    train.__annotations__ = {p.name: p.annotation for p in parameters}
    app.command("train")(train)
