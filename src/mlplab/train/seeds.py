"""One seed, five independent random streams: what a ``Trainer(seed=...)`` controls.

Each consumer of randomness gets its own child of the seed (NumPy's ``SeedSequence``
tree), so adding augmentation, say, leaves the shuffling order unchanged, and the
same seed gives a bit-identical run.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class SeedStreams(NamedTuple):
    """The independent children of one seed, one per consumer of randomness.

    The order of the fields is the order of ``SeedSequence(seed).spawn(5)``:
    changing it would change every seeded run.
    """

    shuffle: np.random.SeedSequence  # the order of the examples in each epoch
    layers: np.random.SeedSequence  # dropout, RReLU slopes, Gaussian noise in the model
    augment: np.random.SeedSequence  # the augmentation of training batches
    init: np.random.SeedSequence  # the initial weights (when the Trainer re-draws them)
    split: np.random.SeedSequence  # the held-out rows of ``validation_split``

    @classmethod
    def from_seed(cls, seed: int | None) -> SeedStreams:
        """The streams of ``seed`` (None: fresh entropy, not reproducible)."""
        return cls(*np.random.SeedSequence(seed).spawn(len(cls._fields)))

