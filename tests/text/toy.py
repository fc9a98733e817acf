"""A small synthetic three-class corpus for fast text tests."""

from __future__ import annotations

import numpy as np


def toy_corpus(n: int = 240, seed: int = 0) -> tuple[list[str], list[str]]:
    """Texts of 8 words from their class's own 100 words plus 4 words from all 300."""
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(300)]
    texts, labels = [], []
    for i in range(n):
        c = i % 3
        words = rng.choice(vocab[c * 100:(c + 1) * 100], size=8).tolist()
        words += rng.choice(vocab, size=4).tolist()
        texts.append(" ".join(words))
        labels.append("abc"[c])
    return texts, labels
