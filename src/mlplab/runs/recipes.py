"""Named, tested settings: the run ``make run`` (``mlplab run``) does.

``DIGITS``: scikit-learn's 8×8 digits (1,797 images; 1,437 train+dev, 360 test),
a 64-128-10 ReLU network with several regularizers together:

- inverted dropout p = 0.2 after the hidden layer;
- AdamW, α = 10⁻³, decoupled weight decay λ = 10⁻² (Loshchilov & Hutter 2019);
- label smoothing ε = 0.1 (targets (1 − ε)·y + ε/K; Szegedy et al. 2016);
- data augmentation: random shifts of up to ½ pixel and rotations up to 8°,
  on the raw [0, 1] pixels (so no standardization: the augmenter clips to [0, 1]);
- early stopping on the dev loss with patience 20, keeping the best weights;
- mini-batches of 32 and a stratified 10 % dev split.

It reaches 0.98–0.99 test accuracy in about 200–250 epochs, well under a minute on two cores.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DIGITS"]

DIGITS: dict[str, Any] = {
    "data": "digits",
    "test_split": 0.2,
    "validation_split": 0.1,
    "standardize": False,
    "augment": True,
    "augment_shift": 0.5,
    "augment_rotate": 8.0,
    "hidden": [128],
    "activation": "relu",
    "dropout": 0.2,
    "optimizer": "adamw",
    "lr": 1e-3,
    "weight_decay": 1e-2,
    "label_smoothing": 0.1,
    "batch_size": 32,
    "epochs": 300,
    "early_stopping": True,
    "patience": 20,
    "seed": 0,
    "name": "digits",
}
