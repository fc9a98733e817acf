"""``mlplab playground``: start the browser playground and print its URL.

Any setting of the page is also a flag (``--dataset spiral --network-shape 8,8``); the
page's "Copy CLI flags" button writes them, ``--config FILE.json`` reads a JSON config,
and ``--list-settings`` lists every flag with its default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

HELP = ("Start the browser playground: train a small network and watch it learn. "
        "Extra flags set the page's controls (--dataset spiral --network-shape 8,8); "
        "--list-settings lists them.")


def load_config(path: Path | None, flags: list[str]) -> Any:
    """The config from --config (JSON) with the flags on top."""
    import json

    from mlplab.playground.config import make_config
    from mlplab.playground.url_state import from_flags

    base = None
    if path is not None:
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"--config: no file {str(path)!r}; e.g. "
                                    "--config playground.json") from None
        except ValueError as err:
            raise ValueError(f"--config: {str(path)!r} is not JSON ({err}); e.g. "
                             '{"dataset": "spiral"}') from None
        if not isinstance(values, dict):
            raise ValueError(f"--config: {str(path)!r} must hold a JSON object of settings; "
                             'e.g. {"dataset": "spiral"}')
        base = make_config(values)
    return from_flags(flags, base)


def list_settings() -> None:
    from mlplab.playground.config import PlaygroundConfig
    from mlplab.playground.url_state import flag_name, format_value

    for name, info in PlaygroundConfig.model_fields.items():
        default = format_value(info.default) or "''"
        typer.echo(f"{flag_name(name):24} {default:10} {info.json_schema_extra['label']}")


def register(app: typer.Typer) -> None:
    @app.command("playground", help=HELP, context_settings={
        "allow_extra_args": True, "ignore_unknown_options": True})
    def playground(
        ctx: typer.Context,
        no_browser: Annotated[bool, typer.Option(
            "--no-browser", help="Print the URL without opening a browser.")] = False,
        port: Annotated[int, typer.Option(
            metavar="N", help="Port (0: a free one; a busy one falls back to a free one).")
        ] = 0,
        host: Annotated[str, typer.Option(
            metavar="H", help="Address to bind; other than 127.0.0.1 only on purpose.")
        ] = "127.0.0.1",
        config: Annotated[Path | None, typer.Option(
            "--config", metavar="FILE", help="A JSON file of settings.")] = None,
        data: Annotated[Path | None, typer.Option(
            "--data", metavar="FILE", help="Start from a CSV of x1,x2,label (or target).")
        ] = None,
        server_seed: Annotated[int, typer.Option(
            "--server-seed", metavar="S", help="Seed of the 'new weights' and 'regenerate' "
                                               "draws.")] = 0,
        settings: Annotated[bool, typer.Option(
            "--list-settings", help="List the setting flags and exit.")] = False,
    ) -> None:
        if settings:
            list_settings()
            return
        chosen = load_config(config, list(ctx.args))
        csv = None
        if data is not None:
            from mlplab.playground.csv_upload import parse_csv

            if not data.is_file():
                raise FileNotFoundError(f"--data: no file {str(data)!r}; e.g. --data "
                                        "points.csv with rows x1,x2,label")
            csv = data.read_bytes()
            parse_csv(csv, chosen)  # a bad file is reported before the server starts
        from mlplab.playground.server import serve

        serve(host=host, port=port, open_browser=not no_browser, config=chosen,
              seed=server_seed, csv=csv, echo=lambda text, file=None: typer.echo(
                  text, err=file is not None))
