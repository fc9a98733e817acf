"""Tiny searches: a few epochs of a small MLP on 300 two-moons points per trial."""

from __future__ import annotations

import pytest

BASE = {"data": "synthetic:moons,n=300,noise=0.2", "hidden": [16], "epochs": 6,
        "batch_size": 32, "early_stopping": False, "seed": 0}
SPACE = {"lr": {"log_uniform": [1e-4, 1.0]}, "hidden": {"choice": ["8", "16,8"]}}


@pytest.fixture
def base():
    from mlplab.runs import make_config

    return make_config(BASE)


@pytest.fixture
def space(base):
    from mlplab.tune import parse_space

    return parse_space(SPACE, base)
