"""Fixtures of the bad-input suite: the bad files, trained models, and the row runners."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.badinput.files import unreadable_file, unwritable_folder, write_bad_files


@pytest.fixture(scope="session")
def bad(tmp_path_factory) -> Path:
    return write_bad_files(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="session")
def models(tmp_path_factory, bad) -> dict[str, Path]:
    """Small trained runs: numbers, a CSV table, a regression and a text model; and a
    finished run folder (nothing to resume)."""
    from mlplab.runs import make_config, run_experiment

    out = tmp_path_factory.mktemp("models")
    quick = dict(epochs=2, hidden=[4], output_dir=str(out))
    runs = {
        "m": dict(data="synthetic:gaussians,n=200", name="numbers"),
        "c": dict(data=f"csv:{bad}/good.csv", name="table"),
        "r": dict(data=f"csv:{bad}/counts.csv", task="regression", name="values"),
        "t": dict(data=f"tsv:{bad}/reviews.tsv", task="text", name="text", hidden=[]),
    }
    paths = {}
    for key, settings in runs.items():
        result = run_experiment(make_config({**quick, **settings}))
        paths[key] = result.run_dir / "model.safetensors"
    paths["run"] = paths["m"].parent
    return paths


def substitutions(bad: Path, models: dict[str, Path], out: Path) -> dict[str, str]:
    """The placeholders a row's arguments may use."""
    return {"d": str(bad), "o": str(out), **{k: str(v) for k, v in models.items()},
            "locked": "{locked}", "nowrite": "{nowrite}"}


def fill(text: str, values: dict[str, str], folder: Path) -> str:
    """``text`` with {placeholders} filled; {locked} and {nowrite} are made on demand (a
    row that needs them may be skipped where they cannot be made)."""
    if "{locked}" in text:
        text = text.replace("{locked}", str(unreadable_file(folder)))
    if "{nowrite}" in text:
        text = text.replace("{nowrite}", str(unwritable_folder(folder)))
    return text.format(**values)


def snapshot(*folders: Path) -> set[str]:
    """Every path under ``folders`` (hidden temporaries included)."""
    return {str(p) for folder in folders if folder.exists() for p in folder.rglob("*")}


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """Run the CLI in an empty working folder; return (result, the exception reported)."""
    import mlplab.cli as cli_module

    monkeypatch.chdir(tmp_path)
    reported: list[BaseException] = []
    original = cli_module.report_error

    def capture(err: BaseException) -> None:
        reported.append(err)
        original(err)

    monkeypatch.setattr(cli_module, "report_error", capture)
    runner = CliRunner()

    def invoke(args: list[str]):
        result = runner.invoke(cli_module.app, args)
        return result, (reported[-1] if reported else None)

    return invoke
