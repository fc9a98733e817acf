"""Shared test fixtures: where the real datasets live, and float64 helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The repository is checked out as <root>/main with the shared data at <root>/shared.
_DEFAULT_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def _datasets_root() -> Path:
    env = os.environ.get("MLPLAB_DATA")
    return Path(env) if env else _DEFAULT_DATASETS


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """Folder holding mnist/, uci_adult/, thucnews_titles/, 20newsgroups_bydate/.

    A missing folder is a failure, not a skip: learning is tested on real data.
    """
    root = _datasets_root()
    if not root.is_dir():
        pytest.fail(
            f"real datasets not found at {root}; set MLPLAB_DATA to the folder that holds "
            "mnist/, uci_adult/, thucnews_titles/ and 20newsgroups_bydate/"
        )
    return root
