"""Every code block of README.md and docs/ runs as written and prints what the page shows.

One test per page: its python blocks run top to bottom in one namespace, its
``mlplab`` commands in the same working directory, so a command may read what an
earlier one wrote (``runs/digits/model.safetensors``). The directory is a fresh
temporary folder laid out like a checkout, so the paths a reader types from the
repository root work unchanged:

    <tmp>/checkout/              the working directory
    <tmp>/checkout/examples -> examples/       (the tiny data files the pages use)
    <tmp>/shared/datasets -> the real datasets (``../shared/datasets`` or $MLPLAB_DATA)

The rules a page follows (output blocks, markers) are in ``markdown_blocks.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mlplab as ml
from tests.docs.block_runner import command_env, run_python, run_shell
from tests.docs.markdown_blocks import read_blocks

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md"))]

# Documented commands the test leaves out because they take minutes, matched by prefix.
# Keep this list short: every entry must still match a command on some page.
LONG_COMMANDS = {
    "mlplab train --data mnist:": "trains on all 60,000 MNIST images (minutes)",
    "mlplab train --task text --data jsonl:": "trains an MLP on all of 20 Newsgroups (minutes)",
    "mlplab lab run --all": "runs every experiment of the claims lab (minutes)",
}

# Documented trainings the test runs with fewer epochs (the flag is appended, and the
# last value of a flag wins): each takes a minute as written, and the files it writes
# are read by the commands after it. Their accuracy is checked elsewhere:
# tests/runs/test_experiment.py (the digits recipe), tests/text/test_real_data.py.
SHORTENED = {
    "mlplab run": ["--epochs", "3"],
    "mlplab train --data digits": ["--epochs", "5"],
    "mlplab train --config examples/config_digits.toml": ["--epochs", "5"],
    "mlplab train --task text --data tsv:": ["--epochs", "1"],
}


def _all_blocks():
    return [block for page in PAGES for block in read_blocks(ROOT / page, page)]


@pytest.fixture
def workdir(tmp_path, datasets_dir, monkeypatch):
    work = tmp_path / "checkout"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "datasets").symlink_to(datasets_dir.resolve())
    monkeypatch.chdir(work)
    env = command_env(tmp_path / "shared" / "datasets")
    for key in ("MPLBACKEND", "MLPLAB_DATA"):
        monkeypatch.setenv(key, env[key])
    return env


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_runs(page, workdir):
    namespace: dict = {"__name__": "__docs__"}
    try:
        for block in read_blocks(ROOT / page, page):
            if block.skip_reason:
                continue  # reported by test_left_out
            if block.lang == "python":
                run_python(block, namespace)
            elif block.lang in ("bash", "console"):
                run_shell(block, workdir, LONG_COMMANDS, SHORTENED)
    finally:
        ml.set_default_dtype("float32")  # a page may change it; the next page starts clean


@pytest.mark.parametrize("what, reason", [
    *[(b.where, b.skip_reason) for b in _all_blocks() if b.skip_reason],
    *LONG_COMMANDS.items()])
def test_left_out(what, reason):
    """Reports, as skips, each block marked ``docs-test: skip`` and each long command."""
    pytest.skip(f"not run: {what}: {reason}")


def test_every_long_command_is_still_documented():
    shown = " | ".join(block.code.replace("\\\n", " ") for block in _all_blocks())
    for prefix in [*LONG_COMMANDS, *SHORTENED]:
        assert prefix in " ".join(shown.split()), f"no page shows a command {prefix!r} any more"


def test_pages_are_collected():
    blocks = _all_blocks()
    runnable = [b for b in blocks if b.lang in ("python", "bash", "console")]
    assert len(PAGES) > 10 and len(runnable) > 40
