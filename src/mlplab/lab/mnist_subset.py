"""A seeded random subset of MNIST for the lab's quick experiments.

The four IDX files are read once per process (``functools.cache``) through
:func:`mlplab.data.load_mnist`; every call then only draws indices. The data folder is
``MLPLAB_DATA`` when set, else ``../shared/datasets`` next to the working directory,
else wherever :func:`~mlplab.data.load_mnist` looks by default (its cache folder).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from mlplab.checks import Interval, check_all
from mlplab.data import load_mnist

MNIST_TRAIN, MNIST_TEST = 60_000, 10_000
"""Sizes of MNIST's training and test sets."""


def data_folder() -> Path | None:
    """Where the lab reads datasets from (None: let the loader use its defaults)."""
    env = os.environ.get("MLPLAB_DATA")
    if env:
        return Path(env).expanduser()
    for base in (Path.cwd(), *Path.cwd().parents[:2]):
        shared = base.parent / "shared" / "datasets"
        if (shared / "mnist").is_dir():
            return shared
    return None


_LIMITS = {"n_train": Interval(1, MNIST_TRAIN, integer=True, example="2000"),
           "n_dev": Interval(0, MNIST_TEST, integer=True, example="1000"),
           "seed": Interval(0, None, integer=True, example="0")}


@functools.cache
def _mnist(folder: Path | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    (X, y), (Xt, yt) = load_mnist(folder)
    for array in (X, y, Xt, yt):
        array.setflags(write=False)  # shared by every caller: nobody may edit it in place
    return X, y, Xt, yt


def mnist_subset(n_train: int, n_dev: int = 1000,
                 seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(X_train, y_train, X_dev, y_dev)``: ``n_train`` images drawn at random from
    MNIST's training set and ``n_dev`` from its test set, without replacement.

    X is float32 of shape (n, 784) in [0, 1], y int64 digits. The draw depends only on
    ``seed`` (and the sizes), so two experiments asking for the same subset get the
    same images. ``n_train=60000, n_dev=10000`` is the full set, in shuffled order.
    Returned arrays are fresh copies: training code may modify them.
    """
    check_all("mnist_subset", {"n_train": n_train, "n_dev": n_dev, "seed": seed}, _LIMITS)
    X, y, Xt, yt = _mnist(data_folder())
    train_rng, dev_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    i = train_rng.permutation(len(X))[:n_train]
    j = dev_rng.permutation(len(Xt))[:n_dev]
    return X[i], y[i], Xt[j], yt[j]
