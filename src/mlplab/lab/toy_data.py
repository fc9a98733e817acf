"""The two-dimensional toy sets the lab experiments train on, checked by name."""

from __future__ import annotations

import numpy as np

import mlplab.data as data
from mlplab.checks import OneOf, check

TOY_DATASETS = ("xor", "moons", "circles", "spirals")
"""Names of the 2-D sets of ``mlplab.data`` a lab experiment accepts as ``dataset``."""

DATASET = OneOf(TOY_DATASETS, example="'moons'")
"""The ``dataset`` option's constraint (a near-miss name gets "did you mean")."""


def toy_dataset(name: str, n: int, seed: int, noise: float | None = None,
                owner: str = "lab") -> tuple[np.ndarray, np.ndarray]:
    """``n`` points (X of shape (n, 2), integer labels y) of the toy set ``name``.

    ``noise=None`` keeps the generator's own default spread.
    """
    check(owner, "dataset", name, DATASET)
    spread = {} if noise is None else {"noise": noise}
    return getattr(data, name)(n=n, seed=seed, **spread)
